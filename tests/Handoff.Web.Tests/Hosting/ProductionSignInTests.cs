using System.Net;
using System.Text.Json;
using Handoff.Web.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Handoff.Web.Tests.Hosting;

/// <summary>
/// Outside Development the host hands out no tokens: the page is told to sign in with the OpenID Connect provider the
/// options name, and the content security policy lets it reach that provider and nothing else. A host of its own.
/// </summary>
public sealed class ProductionSignInTests : IAsyncLifetime
{
    private const string Authority = "https://login.example.com/realms/sales";
    private HostProcess host = null!;

    public async Task InitializeAsync() => host = await HostProcess.StartAsync(
        "environment=Production", $"Handoff:Web:SignIn:Authority={Authority}", "Handoff:Web:SignIn:ClientId=handoff-web");

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task The_page_signs_in_with_the_configured_provider_and_the_host_issues_no_token()
    {
        using var http = new HttpClient { BaseAddress = host.PageAddress, Timeout = Wait.Patience };

        using var configAnswer = await http.GetAsync("/web-config.json");
        using var config = JsonDocument.Parse(await configAnswer.Content.ReadAsStringAsync());
        using var page = await http.GetAsync("/");
        using var token = await http.GetAsync("/dev/token?user=alice");

        Assert.Equal("oidc", config.RootElement.GetProperty("signIn").GetString());
        Assert.Equal(JsonValueKind.Null, config.RootElement.GetProperty("developmentTokenPath").ValueKind);
        Assert.Equal((Authority, "handoff-web"), (config.RootElement.GetProperty("oidc").GetProperty("authority").GetString(),
            config.RootElement.GetProperty("oidc").GetProperty("clientId").GetString()));
        Assert.Contains("connect-src 'self' https://login.example.com;", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.NotEqual(HttpStatusCode.OK, token.StatusCode);
    }

    [Fact]
    public async Task A_visitor_is_offered_the_company_sign_in_and_nothing_else()
    {
        var (playwright, browser) = await Chromium.LaunchAsync();
        try
        {
            var page = await browser.NewPageAsync();

            await page.GotoAsync(host.PageAddress.ToString());

            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign in with your company account" })).ToBeVisibleAsync();
            await Expect(page.GetByLabel("User")).ToHaveCountAsync(0);
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }
}
