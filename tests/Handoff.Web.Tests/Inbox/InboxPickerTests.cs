using Handoff.Web.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Handoff.Web.Tests.Inbox;

/// <summary>An agent also reads the tenant's inbox of unassigned contacts: the card of a contact nobody owns lands there.</summary>
[Collection(BrowserCollection.Name)]
public sealed class InboxPickerTests(BrowserFixture fixture) : IAsyncLifetime
{
    private readonly Walkthrough walkthrough = new(fixture.Host);
    private IBrowserContext context = null!;

    public async Task InitializeAsync() => context = await fixture.Browser.NewContextAsync();

    public async Task DisposeAsync() => await context.DisposeAsync();

    [Fact]
    public async Task The_card_of_an_unassigned_contact_shows_in_the_unassigned_inbox_live_and_not_in_the_agents_own()
    {
        await walkthrough.UpsertContactAsync(owner: "");
        var page = await Pages.SignInAsync(context, fixture.Host, walkthrough.Tenant, "alice");
        await Expect(page.Locator("#inbox-connection")).ToContainTextAsync("Listening");

        await page.GetByLabel("Show the inbox").SelectOptionAsync(new SelectOptionValue { Label = "Unassigned contacts" });
        await Expect(page.Locator("#inbox-connection")).ToContainTextAsync("Listening");
        await walkthrough.IngestEventsAsync();

        await Expect(page.Notifications()).ToHaveCountAsync(1);
        await Expect(page.Notifications().First.Locator(".badge-high")).ToHaveTextAsync("HIGH PRIORITY");
        await Expect(page.Locator("#owner")).ToHaveTextAsync("Unassigned");

        await page.GetByLabel("Show the inbox").SelectOptionAsync(new SelectOptionValue { Label = "Mine (alice)" });

        await Expect(page.Locator("#notifications")).ToContainTextAsync("Nothing yet.");
        await Expect(page.Locator("#unread-count")).ToHaveTextAsync("0 unread");
    }
}
