using System.Net;
using System.Text.Json;
using Handoff.Web.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Handoff.Web.Tests.Hosting;

/// <summary>
/// Outside Development the host hands out no tokens: the page signs in with the OpenID Connect provider the options
/// name (authorization code with PKCE), and the content security policy lets it reach that provider and nothing else.
/// A host of its own, in Production, beside a stand-in provider that issues tokens the host trusts.
/// </summary>
public sealed class ProductionSignInTests : IAsyncLifetime
{
    private readonly string tenant = $"oidc-{Guid.NewGuid():N}"[..16];
    private FakeOidcProvider provider = null!;
    private HostProcess host = null!;

    public async Task InitializeAsync()
    {
        Assertions.SetDefaultExpectTimeout((float)Wait.Patience.TotalMilliseconds);
        provider = await FakeOidcProvider.StartAsync(() => HostProcess.Credentials.Token(tenant, "alice", "agent"));
        host = await HostProcess.StartAsync(
            "environment=Production", $"Handoff:Web:SignIn:Authority={provider.Authority}", $"Handoff:Web:SignIn:ClientId={FakeOidcProvider.ClientId}");
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        await provider.DisposeAsync();
    }

    [Fact]
    public async Task The_page_is_told_to_sign_in_with_the_provider_and_the_host_issues_no_token()
    {
        using var http = new HttpClient { BaseAddress = host.PageAddress, Timeout = Wait.Patience };

        using var configAnswer = await http.GetAsync("/web-config.json");
        using var config = JsonDocument.Parse(await configAnswer.Content.ReadAsStringAsync());
        using var page = await http.GetAsync("/");
        using var token = await http.GetAsync("/dev/token?user=alice");

        Assert.Equal("oidc", config.RootElement.GetProperty("signIn").GetString());
        Assert.Equal(JsonValueKind.Null, config.RootElement.GetProperty("developmentTokenPath").ValueKind);
        Assert.Equal((provider.Authority.ToString(), FakeOidcProvider.ClientId), (config.RootElement.GetProperty("oidc").GetProperty("authority").GetString(),
            config.RootElement.GetProperty("oidc").GetProperty("clientId").GetString()));
        Assert.Contains($"connect-src 'self' {provider.Authority.GetLeftPart(UriPartial.Authority)};", page.Headers.GetValues("Content-Security-Policy").Single(),
            StringComparison.Ordinal);
        Assert.NotEqual(HttpStatusCode.OK, token.StatusCode);
    }

    [Fact]
    public async Task A_person_signs_in_at_the_provider_and_comes_back_signed_in_with_its_token()
    {
        var (playwright, browser) = await Chromium.LaunchAsync();
        try
        {
            var page = await browser.NewPageAsync();
            var log = new PageLog(page);
            await page.GotoAsync(host.PageAddress.ToString());
            await Expect(page.GetByLabel("User")).ToHaveCountAsync(0);

            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in with your company account" }).ClickAsync();

            await log.ExpectAsync(page, () => Expect(page.Locator("#signed-in-as")).ToContainTextAsync($"Signed in as alice (agent) · tenant {tenant}"));
            await Expect(page.Locator("#inbox-connection")).ToContainTextAsync("Listening");
            Assert.DoesNotContain("code=", page.Url, StringComparison.Ordinal);
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }
}
