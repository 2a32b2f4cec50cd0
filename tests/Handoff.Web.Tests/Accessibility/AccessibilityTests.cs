using System.Text.Json;
using Handoff.Web.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Handoff.Web.Tests.Accessibility;

/// <summary>The page for someone who uses only a keyboard, and axe-core's scan for the rest of WCAG's checks.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AccessibilityTests(BrowserFixture fixture) : IAsyncLifetime
{
    private const int MaxTabs = 40;
    private readonly Walkthrough walkthrough = new(fixture.Host);
    private IBrowserContext context = null!;

    public async Task InitializeAsync() => context = await fixture.Browser.NewContextAsync();

    public async Task DisposeAsync() => await context.DisposeAsync();

    [Fact]
    public async Task Both_buttons_work_from_the_keyboard_alone()
    {
        await walkthrough.RaiseCardAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(fixture.Host.PageAddress, $"?contact={Walkthrough.Contact}").ToString());
        // The sign-in form takes the focus (once its script has run: keys typed before that would be lost); typed and
        // submitted with Enter.
        await Expect(page.GetByLabel("User")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("alice");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Control+A");
        await page.Keyboard.TypeAsync(walkthrough.Tenant);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Card().Locator("#card-state")).ToContainTextAsync("Active");

        await TabToAsync(page, "Pause All Outreach");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#pause-state")).ToContainTextAsync("All outreach is paused by alice");
        // The button keeps the focus after the sidebar is drawn again.
        await Expect(page.Button("Pause All Outreach")).ToBeFocusedAsync();

        await page.Keyboard.PressAsync("Shift+Tab");
        await Expect(page.Button("Resume SI Automation")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Space");
        await Expect(page.Card().Locator("#card-state")).ToContainTextAsync("Resolved");
    }

    [Fact]
    public async Task An_axe_core_scan_finds_no_serious_violation_on_the_sign_in_page_or_the_sidebar_with_a_card()
    {
        await walkthrough.RaiseCardAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(fixture.Host.PageAddress.ToString());
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        var signIn = await SeriousViolationsAsync(page);

        page = await Pages.SignInAsync(context, fixture.Host, walkthrough.Tenant, "alice");
        await Expect(page.Notifications()).ToHaveCountAsync(1);
        await Expect(page.Card().Locator("#card-state")).ToContainTextAsync("Active");
        var sidebar = await SeriousViolationsAsync(page);

        Assert.True(signIn.Count == 0 && sidebar.Count == 0, $"axe-core: sign-in page {string.Join("; ", signIn)}; sidebar {string.Join("; ", sidebar)}");
    }

    private static async Task TabToAsync(IPage page, string buttonName)
    {
        for (var i = 0; i < MaxTabs; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            if (await page.EvaluateAsync<string>("() => document.activeElement?.textContent ?? ''") == buttonName)
            {
                return;
            }
        }

        Assert.Fail($"{MaxTabs} presses of Tab never reached the button {buttonName}.");
    }

    /// <summary>axe-core's violations of impact serious or critical, each as "rule: targets".</summary>
    private static async Task<List<string>> SeriousViolationsAsync(IPage page)
    {
        // Evaluated by the browser's debugging protocol, which the page's content security policy does not govern.
        await page.EvaluateAsync(await File.ReadAllTextAsync(RepositoryPaths.AxeScript));
        var json = await page.EvaluateAsync<JsonElement>(
            "async () => (await axe.run(document, { resultTypes: ['violations'] })).violations.map(v => ({ id: v.id, impact: v.impact, targets: v.nodes.map(n => n.target.join(' ')) }))");
        return json.EnumerateArray()
            .Where(v => v.GetProperty("impact").GetString() is "serious" or "critical")
            .Select(v => $"{v.GetProperty("id").GetString()}: {string.Join(", ", v.GetProperty("targets").EnumerateArray().Select(t => t.GetString()))}")
            .ToList();
    }
}
