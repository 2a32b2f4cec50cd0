using Handoff.Web.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Handoff.Web.Tests.Inbox;

/// <summary>
/// The inbox across a server crash: the page says the connection is lost, watches again when the server is back, from
/// the last entry it had, and shows what arrived meanwhile once, without a reload. A host of its own, since it is killed.
/// </summary>
public sealed class LostConnectionTests : IAsyncLifetime
{
    private HostProcess host = null!;
    private IPlaywright playwright = null!;
    private IBrowser browser = null!;

    public async Task InitializeAsync()
    {
        Assertions.SetDefaultExpectTimeout((float)Wait.Patience.TotalMilliseconds);
        // The browser first: when it cannot start, no host process is left running.
        (playwright, browser) = await Chromium.LaunchAsync();
        host = await HostProcess.StartAsync("Handoff:Web:SidebarRefreshInterval=00:00:02");
    }

    public async Task DisposeAsync()
    {
        await browser.DisposeAsync();
        playwright.Dispose();
        await host.DisposeAsync();
    }

    [Fact]
    public async Task After_a_crash_the_inbox_resumes_from_its_last_entry_and_shows_each_notification_once()
    {
        var walkthrough = new Walkthrough(host);
        await walkthrough.RaiseCardAsync();
        await using var context = await browser.NewContextAsync();
        var page = await Pages.SignInAsync(context, host, walkthrough.Tenant, "alice");
        await Expect(page.Notifications()).ToHaveCountAsync(1);
        await Expect(page.Locator("#inbox-connection")).ToContainTextAsync("Live");
        await page.EvaluateAsync("() => { window.handoffTestMark = 'still here'; }");

        await host.KillAsync();

        await Expect(page.Locator("#inbox-connection")).ToContainTextAsync("Connection lost: reconnecting");

        await host.StartAgainAsync();
        await walkthrough.RaiseCardAsync("jordan", "Jordan Park");

        await Expect(page.Locator("#inbox-connection")).ToContainTextAsync("Reconnected: resumed after entry 1");
        await Expect(page.Notifications()).ToHaveCountAsync(2);
        await Expect(page.Notifications().First).ToContainTextAsync("Jordan Park");
        await Expect(page.Locator("#unread-count")).ToHaveTextAsync("2 unread");
        Assert.Equal("still here", await page.EvaluateAsync<string>("() => window.handoffTestMark"));
    }

    [Fact]
    public async Task A_change_that_reaches_no_watched_inbox_shows_at_the_next_refresh()
    {
        var walkthrough = new Walkthrough(host);
        var card = await walkthrough.RaiseCardAsync();
        await using var context = await browser.NewContextAsync();
        var page = await Pages.SignInAsync(context, host, walkthrough.Tenant, "alice");
        await Expect(page.Locator("#pause-state")).ToHaveTextAsync("Outreach is not paused.");

        // Bob pauses from his own screen: Alice's inbox gets no entry for it.
        await walkthrough.System.Handoffs.PauseAllOutreachAsync(new Protos.V1.PauseAllOutreachRequest
        {
            TenantId = walkthrough.Tenant, ContactId = Walkthrough.Contact, CardId = card.CardId, ActorUserId = "si", Reason = "Bob is on it",
        });

        await Expect(page.Locator("#pause-state")).ToContainTextAsync("Bob is on it");
    }
}
