using System.CommandLine;

namespace Handoff.Cli.Commands;

/// <summary>token: a development bearer token, for the CLI's --token, another gRPC tool or a browser page.</summary>
internal static class TokenCommands
{
    private static readonly Option<string> User = Parameter.Text("--user", "USER", "whom the token is for (default --as, else $USER)");

    public static readonly Command[] All =
    [
        new("token", "Print a development token (from a server in Development, on this machine)",
            "The token is for --user (default --as, else $USER) in --tenant with each --role (agent, admin, ingest;\n" +
            "default agent). Use it with --token, HANDOFF_TOKEN, or 'authorization: Bearer <token>' in any gRPC tool.\n" +
            "A production server issues none: its tokens come from the identity provider (docs/security.md).", [User], Token),
    ];

    private static async Task<int> Token(CliContext ctx, ParseResult parsed)
    {
        var user = parsed.GetValue(User) ?? ctx.Identity.User;
        var roles = ctx.Identity.RequestedRoles.Count > 0 ? ctx.Identity.RequestedRoles : ["agent"];
        Console.WriteLine(await Identity.DevelopmentTokenAsync(ctx.Server, ctx.Tenant, user, roles, ctx.Cancel));
        return 0;
    }
}
