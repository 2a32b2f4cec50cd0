using System.Net;
using System.Text.RegularExpressions;
using Handoff.Server.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Handoff.Server.Security;

/// <summary>
/// <c>GET /dev/token?tenant=demo&amp;user=alice&amp;role=agent</c>: a token in plain text, for the walkthrough, the CLI
/// and a local browser page. Only in the Development environment, only when the host holds its signing key, and only
/// for callers on this machine (loopback); anywhere else the path does not exist.
/// </summary>
public static partial class DevelopmentTokens
{
    public const string Path = "/dev/token";

    /// <summary>Whether this host serves <see cref="Path"/>: Development, the endpoint on, and a key the host signs with.</summary>
    public static bool Enabled(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var keys = app.Services.GetRequiredService<ServerKeys>();
        return app.Environment.IsDevelopment() && app.Services.GetRequiredService<IOptions<AuthOptions>>().Value.DevelopmentTokenEndpoint
            && keys.CanIssue && keys.ValidationKey is not null;
    }

    /// <summary>Maps the endpoint when <see cref="Enabled"/>: its builder, else null.</summary>
    public static IEndpointConventionBuilder? MapDevelopmentTokens(this WebApplication app)
    {
        if (!Enabled(app))
        {
            return null;
        }

        var auth = app.Services.GetRequiredService<IOptions<AuthOptions>>().Value;
        var keys = app.Services.GetRequiredService<ServerKeys>();
        var issuer = new TokenIssuer((SymmetricSecurityKey)keys.ValidationKey!, auth.Issuer, auth.Audience, auth.Claims, TimeProvider.System);
        var maxIdLength = app.Services.GetRequiredService<IOptions<ApiOptions>>().Value.MaxIdLength;
        return app.MapGet(Path, (HttpContext http, string? tenant, string? user, string[]? role) =>
        {
            if (http.Connection.RemoteIpAddress is not { } remote || !IPAddress.IsLoopback(remote))
            {
                return Results.NotFound();
            }

            tenant ??= "demo";
            var roles = role is { Length: > 0 } ? role : [HandoffRoles.Agent];
            var problems = new List<string>();
            if (!TenantPattern().IsMatch(tenant))
            {
                problems.Add("tenant must be 1 to 64 letters, digits, '.', '_' or '-'");
            }

            if (string.IsNullOrEmpty(user) || user.Length > maxIdLength || user.Any(char.IsControl))
            {
                problems.Add($"user is required: 1 to {maxIdLength} printable characters");
            }

            if (roles.FirstOrDefault(r => !HandoffRoles.All.Contains(r)) is { } unknown)
            {
                problems.Add($"role '{unknown}' is none of {string.Join(", ", HandoffRoles.All)}");
            }

            return problems.Count > 0
                ? Results.BadRequest(string.Join("; ", problems))
                : Results.Text(issuer.Issue(tenant, user!, roles, auth.DevelopmentTokenLifetime));
        }).AllowAnonymous();
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex TenantPattern();
}
