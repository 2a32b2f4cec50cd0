using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;

namespace Handoff.Server.Tests.Security;

/// <summary>
/// A stand-in for an OpenID Connect provider (what Handoff:Auth:Authority points at): a real Kestrel app on a free
/// loopback port serving the discovery document and a key set of one RSA public key, over plain HTTP. Tokens it
/// "issues" are signed with the private half and name it as their issuer.
/// </summary>
public sealed class FakeOpenIdProvider : IAsyncDisposable
{
    private const string KeyId = "provider-key-1";
    private const string KeySetPath = "/protocol/openid-connect/certs";

    private readonly RSA key = RSA.Create(2048);
    private WebApplication? app;

    private FakeOpenIdProvider()
    {
    }

    /// <summary>http://127.0.0.1:port, without a trailing slash: the authority and the issuer its tokens carry.</summary>
    public string Issuer { get; private set; } = "";

    /// <summary>The private key the provider signs with, named by the key id its key set publishes.</summary>
    public SecurityKey SigningKey => new RsaSecurityKey(key) { KeyId = KeyId };

    public static async Task<FakeOpenIdProvider> StartAsync()
    {
        var provider = new FakeOpenIdProvider();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = provider.Issuer,
            ["jwks_uri"] = provider.Issuer + KeySetPath,
            ["id_token_signing_alg_values_supported"] = new[] { SecurityAlgorithms.RsaSha256 },
        }));
        app.MapGet(KeySetPath, () =>
        {
            var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(provider.key.ExportParameters(includePrivateParameters: false)) { KeyId = KeyId });
            return Results.Json(new Dictionary<string, object>
            {
                ["keys"] = new[]
                {
                    new Dictionary<string, string>
                    {
                        ["kty"] = jwk.Kty, ["use"] = "sig", ["alg"] = SecurityAlgorithms.RsaSha256, ["kid"] = jwk.Kid, ["n"] = jwk.N, ["e"] = jwk.E,
                    },
                },
            });
        });
        await app.StartAsync();
        provider.app = app;
        provider.Issuer = app.Urls.Single().TrimEnd('/');
        return provider;
    }

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        key.Dispose();
    }
}
