using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Handoff.Server.Security;

/// <summary>
/// Mints the bearer JWTs this host accepts when it holds the signing key itself: the development token endpoint. A
/// production deployment's tokens come from its identity provider instead.
/// </summary>
public sealed class TokenIssuer(SymmetricSecurityKey signingKey, string issuer, string audience, TokenClaims claims, TimeProvider time)
{
    /// <summary>A new random HMAC key, base64-encoded, as <see cref="AuthOptions.SigningKey"/> takes it.</summary>
    public static string NewSharedKey() => Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(SigningKeys.MinimumSymmetricKeyBytes));

    /// <summary>A token for <paramref name="user"/> of <paramref name="tenant"/> with <paramref name="roles"/>, valid for <paramref name="lifetime"/>.</summary>
    public string Issue(string tenant, string user, IEnumerable<string> roles, TimeSpan lifetime)
    {
        var notBefore = time.GetUtcNow();
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = notBefore.UtcDateTime,
            NotBefore = notBefore.UtcDateTime,
            Expires = (notBefore + lifetime).UtcDateTime,
            SigningCredentials = new SigningCredentials(signingKey, SecurityAlgorithms.HmacSha256),
            Claims = new Dictionary<string, object>
            {
                [claims.Tenant] = tenant,
                [claims.User] = user,
                [claims.Roles] = roles.ToArray(),
            },
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }
}
