using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Handoff.Web.Tests.Support;

namespace Handoff.Web.Tests.Hosting;

/// <summary>
/// The page as the host serves it on its gRPC-Web listener: index.html always revalidated, the content-named assets
/// kept for a year, a content security policy on both, the sign-in settings, and CORS only for the origins the options
/// name. The management listener serves none of it.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class HostedPageTests(BrowserFixture fixture) : IDisposable
{
    private const string AllowedOrigin = "http://localhost:5173";
    private readonly HttpClient http = new() { BaseAddress = fixture.Host.PageAddress, Timeout = Wait.Patience };

    public void Dispose() => http.Dispose();

    [Fact]
    public async Task The_page_is_revalidated_its_assets_are_kept_and_both_carry_a_content_security_policy()
    {
        using var index = await http.GetAsync("/");
        var html = await index.Content.ReadAsStringAsync();
        var script = ScriptPattern().Match(html);
        Assert.True(script.Success, $"No script in the page:\n{html}");
        using var asset = await http.GetAsync(script.Groups["src"].Value);

        Assert.Equal((HttpStatusCode.OK, "text/html"), (index.StatusCode, index.Content.Headers.ContentType?.MediaType));
        Assert.Equal("no-cache", index.Headers.CacheControl?.ToString());
        Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
        Assert.Equal("public, max-age=31536000, immutable", asset.Headers.CacheControl?.ToString());
        foreach (var answer in new[] { index, asset })
        {
            var policy = string.Join(";", answer.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("default-src 'none'", policy, StringComparison.Ordinal);
            Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
            Assert.Contains("connect-src 'self'", policy, StringComparison.Ordinal);
            Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
            Assert.Equal("nosniff", answer.Headers.GetValues("X-Content-Type-Options").Single());
        }
    }

    [Fact]
    public async Task The_page_learns_it_signs_in_with_development_tokens_and_which_claims_name_the_caller()
    {
        using var answer = await http.GetAsync("/web-config.json");
        using var config = JsonDocument.Parse(await answer.Content.ReadAsStringAsync());

        Assert.Equal("development", config.RootElement.GetProperty("signIn").GetString());
        Assert.Equal("/dev/token", config.RootElement.GetProperty("developmentTokenPath").GetString());
        Assert.Equal("tenant", config.RootElement.GetProperty("claims").GetProperty("tenant").GetString());
        Assert.Equal(3_600_000, config.RootElement.GetProperty("sidebarRefreshMilliseconds").GetInt64());
    }

    [Fact]
    public async Task The_management_listener_does_not_serve_the_page()
    {
        using var management = new HttpClient { BaseAddress = fixture.Host.ManagementAddress, Timeout = Wait.Patience };

        using var answer = await management.GetAsync("/");

        Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
    }

    [Theory]
    [InlineData(AllowedOrigin, true)]
    [InlineData("http://evil.example", false)]
    public async Task A_browser_on_another_origin_may_call_only_when_the_options_allow_that_origin(string origin, bool allowed)
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/handoff.v1.ContactService/GetContact");
        preflight.Headers.Add("Origin", origin);
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "authorization,content-type,x-grpc-web");
        using var config = new HttpRequestMessage(HttpMethod.Get, "/web-config.json");
        config.Headers.Add("Origin", origin);

        using var preflightAnswer = await http.SendAsync(preflight);
        using var configAnswer = await http.SendAsync(config);

        Assert.Equal(allowed, preflightAnswer.Headers.TryGetValues("Access-Control-Allow-Origin", out var grpcOrigin) && grpcOrigin.Single() == origin);
        Assert.Equal(allowed, configAnswer.Headers.TryGetValues("Access-Control-Allow-Origin", out var configOrigin) && configOrigin.Single() == origin);
    }

    [GeneratedRegex("<script[^>]+src=\"(?<src>/assets/[^\"]+\\.js)\"")]
    private static partial Regex ScriptPattern();
}
