using System.ComponentModel.DataAnnotations;

namespace Handoff.Server.Security;

/// <summary>
/// Who may call: every API call carries a bearer JWT, validated against the keys named here. Bound from configuration
/// section "Handoff:Auth". Exactly one key source is set: <see cref="SigningKey"/>, <see cref="PublicKeyPemPath"/> or
/// <see cref="Authority"/> (with <see cref="MetadataAddress"/>). With none, only the Development environment starts,
/// with a key of its own (<see cref="DevelopmentKeyPath"/>). See docs/security.md.
/// </summary>
public sealed class AuthOptions
{
    public const string Section = "Handoff:Auth";

    /// <summary>The token's <c>iss</c> must be this. With <see cref="Authority"/>, the authority's discovery document names it.</summary>
    public string Issuer { get; set; } = "handoff";

    /// <summary>The token's <c>aud</c> must include this.</summary>
    public string Audience { get; set; } = "handoff-api";

    /// <summary>How far the clocks of issuer and server may disagree when a token's lifetime is checked.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A shared HMAC-SHA256 key, base64-encoded, of at least 32 bytes: the issuer and this server both hold it.</summary>
    public string SigningKey { get; set; } = "";

    /// <summary>A PEM file with the issuer's public key (RSA or EC; "BEGIN PUBLIC KEY" or a certificate): tokens it signed are accepted.</summary>
    public string PublicKeyPemPath { get; set; } = "";

    /// <summary>
    /// An OpenID Connect provider (https://login.example.com/realms/sales): its discovery document gives the issuer and
    /// the JSON Web Key Set, fetched and refreshed as the provider rotates its keys.
    /// </summary>
    public string Authority { get; set; } = "";

    /// <summary>The discovery document's URL, when it is not <c>{Authority}/.well-known/openid-configuration</c>.</summary>
    public string MetadataAddress { get; set; } = "";

    /// <summary>Refuse a discovery document or key set served over plain HTTP (only a provider on loopback should need false).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>The claim types that carry the tenant, the user and the roles.</summary>
    public TokenClaims Claims { get; set; } = new();

    /// <summary>
    /// Development only, when no key source is set: the file holding the key this host generates on first start (under
    /// the working directory unless rooted). The development token endpoint signs with it.
    /// </summary>
    public string DevelopmentKeyPath { get; set; } = "data/dev-signing-key";

    /// <summary>
    /// Development only: serve <c>GET /dev/token</c> to callers on this machine (loopback), which mints a token for any
    /// tenant, user and roles. Needs a key this host can sign with (the development key or <see cref="SigningKey"/>).
    /// </summary>
    public bool DevelopmentTokenEndpoint { get; set; } = true;

    /// <summary>How long a token from the development endpoint lasts.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan DevelopmentTokenLifetime { get; set; } = TimeSpan.FromHours(8);
}

/// <summary>The claim types a token carries its caller in; set them to what the identity provider issues.</summary>
public sealed class TokenClaims
{
    /// <summary>The tenant (workspace) the caller belongs to; every call is confined to it.</summary>
    public string Tenant { get; set; } = "tenant";

    /// <summary>The user: the actor recorded on every action and the owner of a USER inbox.</summary>
    public string User { get; set; } = "sub";

    /// <summary>The roles (agent, admin, ingest): a JSON array or one claim per role.</summary>
    public string Roles { get; set; } = "roles";
}
