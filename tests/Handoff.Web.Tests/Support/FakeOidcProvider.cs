using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Handoff.Web.Tests.Support;

/// <summary>
/// A stand-in for a company's OpenID Connect provider (an outside service): its discovery document, an authorization
/// endpoint that signs the person in at once and sends the browser back with a code, and a token endpoint that gives
/// the access token <paramref name="accessToken"/> makes only for that code and the PKCE verifier of its challenge.
/// </summary>
public sealed class FakeOidcProvider(WebApplication app) : IAsyncDisposable
{
    public const string ClientId = "handoff-web";

    public Uri Authority { get; } = new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());

    public static async Task<FakeOidcProvider> StartAsync(Func<string> accessToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var challenges = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        app.Use((context, next) =>
        {
            // The page calls discovery and the token endpoint from its own origin.
            context.Response.Headers.AccessControlAllowOrigin = "*";
            return next(context);
        });
        app.MapGet("/.well-known/openid-configuration", (HttpContext http) =>
        {
            var self = $"{http.Request.Scheme}://{http.Request.Host}";
            return Results.Json(new Dictionary<string, string>
            {
                ["issuer"] = self, ["authorization_endpoint"] = $"{self}/authorize", ["token_endpoint"] = $"{self}/token",
            });
        });
        app.MapGet("/authorize", (string response_type, string client_id, string redirect_uri, string state, string code_challenge, string code_challenge_method) =>
        {
            if (response_type != "code" || client_id != ClientId || code_challenge_method != "S256")
            {
                return Results.BadRequest("unsupported request");
            }

            var code = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
            challenges[code] = code_challenge;
            return Results.Redirect($"{redirect_uri}?code={code}&state={Uri.EscapeDataString(state)}");
        });
        app.MapPost("/token", async (HttpContext http) =>
        {
            var form = await http.Request.ReadFormAsync();
            var verifier = form["code_verifier"].ToString();
            var expected = challenges.TryRemove(form["code"].ToString(), out var challenge) ? challenge : null;
            var actual = Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            return form["grant_type"] == "authorization_code" && form["client_id"] == ClientId && expected == actual
                ? Results.Json(new Dictionary<string, string> { ["access_token"] = accessToken(), ["token_type"] = "Bearer" })
                : Results.BadRequest("invalid_grant");
        });
        await app.StartAsync();
        return new FakeOidcProvider(app);
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
