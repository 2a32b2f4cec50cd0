using Handoff.Protos.V1;
using Handoff.Server.Tests.Support;
using Handoff.Web.Tests.Support;
using Microsoft.IdentityModel.Tokens;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Handoff.Web.Tests.Errors;

/// <summary>What the page says when the server refuses: a stale card, a sign-in it does not accept, a call not allowed.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ErrorTests(BrowserFixture fixture) : IAsyncLifetime
{
    private readonly Walkthrough walkthrough = new(fixture.Host);
    private IBrowserContext context = null!;

    public async Task InitializeAsync() => context = await fixture.Browser.NewContextAsync();

    public async Task DisposeAsync() => await context.DisposeAsync();

    [Fact]
    public async Task A_button_pressed_on_a_card_that_changed_meanwhile_does_nothing_and_shows_the_current_card()
    {
        var first = await walkthrough.RaiseCardAsync();
        // Bob, a manager, looks at Alice's contact: his inbox hears nothing of it, so his screen goes stale.
        var page = await Pages.SignInAsync(context, fixture.Host, walkthrough.Tenant, "bob", "admin");
        await Expect(page.Card()).ToHaveAttributeAsync("data-card-id", first.CardId);
        await walkthrough.System.Handoffs.ResumeAutomationAsync(new ResumeAutomationRequest
        {
            TenantId = walkthrough.Tenant, ContactId = Walkthrough.Contact, CardId = first.CardId, ActorUserId = "si",
        });
        var ack = await walkthrough.System.Ingest.IngestBatchAsync(new IngestBatchRequest
        {
            TenantId = walkthrough.Tenant,
            BatchId = "asks-for-a-person",
            Events = { new ProtoEvents(Walkthrough.Contact).AsksForAPerson(TimeSpan.Zero) },
        });
        Assert.Equal(1, ack.AcceptedCount);
        var second = (await walkthrough.ContactAsync()).Card;
        Assert.True(second.CardId != first.CardId && second.Status == CardStatus.Active, $"No second card: {second}");

        await page.Button("Pause All Outreach").ClickAsync();

        await Expect(page.Locator("#sidebar-alert")).ToContainTextAsync("This card changed while you were looking at it, so nothing was done");
        await Expect(page.Card()).ToHaveAttributeAsync("data-card-id", second.CardId);
        await Expect(page.Card().Locator("#card-state")).ToContainTextAsync("Active");
        await Expect(page.Locator("#card-title")).ToBeFocusedAsync();
        Assert.False((await walkthrough.ContactAsync()).OutreachPause.Paused);
        await page.ScreenshotAsync("stale-card");
    }

    [Fact]
    public async Task A_signed_out_visitor_sees_the_sign_in_form_and_nothing_of_the_tenant()
    {
        await walkthrough.RaiseCardAsync();
        var page = await context.NewPageAsync();
        var apiCalls = new List<string>();
        page.Request += (_, request) =>
        {
            if (request.Url.Contains("/handoff.v1.", StringComparison.Ordinal))
            {
                apiCalls.Add(request.Url);
            }
        };

        await page.GotoAsync(new Uri(fixture.Host.PageAddress, $"?contact={Walkthrough.Contact}").ToString());

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await Expect(page.Locator("#signed-in-as")).ToHaveTextAsync("Not signed in");
        await Expect(page.Locator("body")).Not.ToContainTextAsync("Brandon");
        await Expect(page.Locator("#inbox")).ToHaveCountAsync(0);
        Assert.Empty(apiCalls);
    }

    [Fact]
    public async Task Signing_out_takes_away_everything_of_the_tenant()
    {
        await walkthrough.RaiseCardAsync();
        var page = await Pages.SignInAsync(context, fixture.Host, walkthrough.Tenant, "alice");
        await Expect(page.Notifications()).ToHaveCountAsync(1);

        await page.Button("Sign out").ClickAsync();

        await Expect(page.Locator("#signed-in-as")).ToHaveTextAsync("Not signed in");
        await Expect(page.Locator("body")).Not.ToContainTextAsync("Brandon");
        await page.ReloadAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_token_the_server_does_not_accept_sends_the_person_back_to_sign_in_with_the_reason()
    {
        await walkthrough.RaiseCardAsync();
        var page = await context.NewPageAsync();
        var log = new PageLog(page);
        var otherKey = new SymmetricSecurityKey(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var forged = TestCredentials.Token(walkthrough.Tenant, "alice", ["agent"], DateTimeOffset.UtcNow, TimeSpan.FromHours(1), otherKey);
        await page.GotoAsync(fixture.Host.PageAddress.ToString());
        // The first load must have finished booting without a token: a boot still in flight would find the forged token,
        // be refused, and remove it before the second load reads it.
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await page.EvaluateAsync("token => sessionStorage.setItem('handoff.session.token', token)", forged);

        await page.GotoAsync(new Uri(fixture.Host.PageAddress, $"?contact={Walkthrough.Contact}").ToString());

        await log.ExpectAsync(page, () => Expect(page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "Sign in again" })).ToBeVisibleAsync());
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await Expect(page.Locator("body")).Not.ToContainTextAsync("Brandon Lee");
    }

    [Fact]
    public async Task A_call_the_role_may_not_make_is_shown_as_not_allowed()
    {
        await walkthrough.RaiseCardAsync();

        // The ingest role feeds events; it may not read sidebars or inboxes.
        var page = await Pages.SignInAsync(context, fixture.Host, walkthrough.Tenant, "feeder", "ingest");

        await Expect(page.Locator("#sidebar-alert")).ToContainTextAsync("You are not allowed to do this");
        await Expect(page.Locator("#inbox-connection")).ToContainTextAsync("not allowed");
        await Expect(page.Card()).ToHaveCountAsync(0);
    }
}
