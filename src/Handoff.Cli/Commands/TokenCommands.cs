namespace Handoff.Cli.Commands;

/// <summary>token: a development bearer token, for the CLI's --token, another gRPC tool or a browser page.</summary>
internal static class TokenCommands
{
    public static readonly Command[] All =
    [
        new("token", "[--user USER] [--role ROLE]...",
            "Print a development token (from a server in Development, on this machine)",
            "The token is for --user (default --as, else $USER) in --tenant with each --role (agent, admin, ingest;\n" +
            "default agent). Use it with --token, HANDOFF_TOKEN, or 'authorization: Bearer <token>' in any gRPC tool.\n" +
            "A production server issues none: its tokens come from the identity provider (docs/security.md).", Token),
    ];

    private static async Task<int> Token(CliContext ctx, Args a)
    {
        var user = a.Option("--user") ?? ctx.Identity.User;
        a.Positionals();
        var roles = ctx.Identity.RequestedRoles.Count > 0 ? ctx.Identity.RequestedRoles : ["agent"];
        Console.WriteLine(await Identity.DevelopmentTokenAsync(ctx.Server, ctx.Tenant, user, roles, ctx.Cancel));
        return 0;
    }
}
