using System.Security.Claims;

namespace Handoff.Server.Security;

/// <summary>Who is calling, as their validated token says: the tenant every call is confined to, the user, the roles.</summary>
public sealed record Caller(string TenantId, string UserId, ClaimsPrincipal Principal)
{
    public bool IsIn(string role) => Principal.IsInRole(role);

    /// <summary>The caller of an authenticated request; null when the principal lacks the tenant or the user claim.</summary>
    public static Caller? From(ClaimsPrincipal principal, TokenClaims claims)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(claims);
        var tenant = principal.FindFirst(claims.Tenant)?.Value;
        var user = principal.FindFirst(claims.User)?.Value;
        return string.IsNullOrEmpty(tenant) || string.IsNullOrEmpty(user) ? null : new Caller(tenant, user, principal);
    }
}
