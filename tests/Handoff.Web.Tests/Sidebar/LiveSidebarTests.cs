using Handoff.Protos.V1;
using Handoff.Web.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Handoff.Web.Tests.Sidebar;

/// <summary>
/// The README's walkthrough seen by Alice in her browser: the card and the HIGH PRIORITY notification appear while the
/// events arrive, her two buttons hold and release the queue, and what one tab does the other shows.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class LiveSidebarTests(BrowserFixture fixture) : IAsyncLifetime
{
    private readonly Walkthrough walkthrough = new(fixture.Host);
    private IBrowserContext context = null!;

    public async Task InitializeAsync()
    {
        context = await fixture.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1400, Height = 1000 } });
        // Whatever the host's content security policy blocks on these pages is noted, for the tests to check there is none.
        await context.AddInitScriptAsync(
            "window.cspViolations = []; document.addEventListener('securitypolicyviolation', e => window.cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));");
    }

    public async Task DisposeAsync() => await context.DisposeAsync();

    [Fact]
    public async Task The_card_and_the_high_priority_notification_appear_without_a_reload_while_the_events_arrive()
    {
        await walkthrough.UpsertContactAsync();
        await walkthrough.QueueSiEmailAsync();
        var page = await Pages.SignInAsync(context, fixture.Host, walkthrough.Tenant, "alice");
        await Expect(page.Locator("#contact-title")).ToHaveTextAsync("Brandon Lee");
        await Expect(page.Card()).ToContainTextAsync("No handoff card");
        await Expect(page.Locator("#inbox-connection")).ToContainTextAsync("Live");
        await Expect(page.Locator("#unread-count")).ToHaveTextAsync("0 unread");
        // A mark on this document: a reload would lose it.
        await page.EvaluateAsync("() => { window.handoffTestMark = 'still here'; }");

        await walkthrough.IngestEventsAsync();

        var card = page.Card();
        await Expect(card.Locator("#card-state")).ToContainTextAsync("Active");
        var stored = (await walkthrough.ContactAsync()).Card;
        await Expect(card.Locator(".summary")).ToHaveTextAsync(stored.Summary);
        foreach (var reason in stored.Reasons)
        {
            foreach (var evidence in reason.Evidence)
            {
                await Expect(card.Locator(".evidence li").GetByText(evidence, new() { Exact = true })).ToBeVisibleAsync();
            }
        }

        var notification = page.Notifications().First;
        await Expect(notification.Locator(".badge-high")).ToHaveTextAsync("HIGH PRIORITY");
        await Expect(notification).ToContainTextAsync("Brandon Lee");
        await Expect(page.Locator("#unread-count")).ToHaveTextAsync("1 unread");
        await Expect(page.Locator("#active-handoffs")).ToContainTextAsync("Brandon Lee");
        await Expect(page.Locator("#pause-state")).ToHaveTextAsync("Outreach is not paused.");
        await Expect(page.Locator(".queue")).ToContainTextAsync("Held (a handoff card is active)");
        Assert.Equal("still here", await page.EvaluateAsync<string>("() => window.handoffTestMark"));
        Assert.Empty(await page.EvaluateAsync<string[]>("() => window.cspViolations"));
        await page.ScreenshotAsync("card-and-inbox");

        await notification.GetByRole(AriaRole.Button, new() { Name = "Mark read" }).ClickAsync();

        await Expect(page.Locator("#unread-count")).ToHaveTextAsync("0 unread");
        await Expect(notification.Locator(".badge-unread")).ToHaveCountAsync(0);
        await Expect(notification.Locator(".badge-high")).ToHaveTextAsync("HIGH PRIORITY");
    }

    [Fact]
    public async Task Pause_All_Outreach_holds_the_queue_and_Resume_SI_Automation_resolves_the_card_and_the_notification_live()
    {
        var card = await walkthrough.RaiseCardAsync();
        var page = await Pages.SignInAsync(context, fixture.Host, walkthrough.Tenant, "alice");
        await Expect(page.Card().Locator("#card-state")).ToContainTextAsync("Active");

        await page.GetByLabel("Why pause").FillAsync("Calling him myself");
        await page.Button("Pause All Outreach").ClickAsync();

        await Expect(page.Locator("#pause-state")).ToContainTextAsync("All outreach is paused by alice");
        await Expect(page.Locator("#pause-state")).ToContainTextAsync("Calling him myself");
        await Expect(page.Locator(".queue")).ToContainTextAsync("Held (outreach is paused)");
        await Expect(page.Card().Locator("#card-state")).ToContainTextAsync("Active");
        var gate = await walkthrough.System.Outreach.CheckOutreachAsync(new CheckOutreachRequest { TenantId = walkthrough.Tenant, ContactId = Walkthrough.Contact, Source = MessageSource.Manual });
        Assert.Equal((false, DenialReason.OutreachPaused), (gate.Allowed, gate.DenialReason));
        await page.ScreenshotAsync("outreach-paused");

        await page.Button("Resume SI Automation").ClickAsync();

        await Expect(page.Card().Locator("#card-state")).ToContainTextAsync("Resolved");
        await Expect(page.Card().Locator("#card-state")).ToContainTextAsync("resolved by alice");
        var notification = page.Notifications().First;
        await Expect(notification.Locator(".badge-resolved")).ToHaveTextAsync("Resolved: the card was resolved");
        await Expect(page.Locator("#pause-state")).ToHaveTextAsync("Outreach is not paused.");
        await Expect(page.Locator(".queue")).ToContainTextAsync("Queued");
        await Expect(page.Locator(".queue")).Not.ToContainTextAsync("Held");
        await Expect(page.Locator("#active-handoffs li")).ToHaveCountAsync(0);
        await Expect(page.Button("Resume SI Automation")).ToHaveCountAsync(0);
        var stored = (await walkthrough.ContactAsync()).Card;
        Assert.Equal((card.CardId, CardStatus.Resolved, "alice"), (stored.CardId, stored.Status, stored.ResolvedByUserId));
        Assert.Empty(await page.EvaluateAsync<string[]>("() => window.cspViolations"));
    }

    [Fact]
    public async Task A_second_tab_shows_what_the_first_one_did_and_the_first_what_the_second_did()
    {
        await walkthrough.RaiseCardAsync();
        var first = await Pages.SignInAsync(context, fixture.Host, walkthrough.Tenant, "alice");
        var second = await Pages.SignInAsync(context, fixture.Host, walkthrough.Tenant, "alice");
        await Expect(second.Card().Locator("#card-state")).ToContainTextAsync("Active");

        await first.Button("Pause All Outreach").ClickAsync();

        await Expect(second.Locator("#pause-state")).ToContainTextAsync("All outreach is paused by alice");
        await Expect(second.Locator(".queue")).ToContainTextAsync("Held (outreach is paused)");

        await second.Button("Resume SI Automation").ClickAsync();

        await Expect(first.Card().Locator("#card-state")).ToContainTextAsync("Resolved");
        await Expect(first.Locator("#pause-state")).ToHaveTextAsync("Outreach is not paused.");
        await Expect(first.Notifications().First.Locator(".badge-resolved")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task The_Auto_Engage_toggle_turns_SI_automation_off_and_on()
    {
        await walkthrough.RaiseCardAsync();
        var page = await Pages.SignInAsync(context, fixture.Host, walkthrough.Tenant, "alice");
        var toggle = page.GetByRole(AriaRole.Switch, new() { Name = "SI automation" });
        await Expect(toggle).ToBeCheckedAsync();

        await toggle.ClickAsync();

        await Expect(toggle).Not.ToBeCheckedAsync();
        await Expect(page.Locator("#sidebar-status")).ToHaveTextAsync("Auto-Engage is off.");
        Assert.False((await walkthrough.ContactAsync()).AutoEngage);

        await toggle.ClickAsync();

        // The browser ticks the box at the click; the status line follows the server's answer.
        await Expect(toggle).ToBeCheckedAsync();
        await Expect(page.Locator("#sidebar-status")).ToHaveTextAsync("Auto-Engage is on.");
        Assert.True((await walkthrough.ContactAsync()).AutoEngage);
    }
}
