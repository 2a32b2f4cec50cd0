using Grpc.Core;
using Handoff.Protos.V1;
using Handoff.Server.Tests.Support;

namespace Handoff.Server.Tests.Services;

/// <summary>
/// A contact that was never created is NOT_FOUND; an action naming a card that is not the contact's current card
/// (a stale screen) is FAILED_PRECONDITION and changes nothing.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class NotFoundAndPreconditionTests(ServerFixture fixture)
{
    private const string Unknown = "nobody";

    private static readonly Dictionary<string, Func<ServerHost, string, Task>> OnUnknownContact = new()
    {
        ["GetContact"] = (h, t) => h.Contacts.GetContactAsync(new GetContactRequest { TenantId = t, ContactId = Unknown }).ResponseAsync,
        ["GetContactHistory"] = (h, t) => h.Contacts.GetContactHistoryAsync(new GetContactHistoryRequest { TenantId = t, ContactId = Unknown }).ResponseAsync,
        ["SetAutoEngage"] = (h, t) => h.Contacts.SetAutoEngageAsync(new SetAutoEngageRequest { TenantId = t, ContactId = Unknown, Enabled = false }).ResponseAsync,
        ["AssignOwner"] = (h, t) => h.Contacts.AssignOwnerAsync(new AssignOwnerRequest { TenantId = t, ContactId = Unknown, OwnerUserId = "bob" }).ResponseAsync,
        ["GetHandoffCard"] = (h, t) => h.Handoffs.GetHandoffCardAsync(new GetHandoffCardRequest { TenantId = t, ContactId = Unknown }).ResponseAsync,
        ["ResumeAutomation"] = (h, t) => h.Handoffs.ResumeAutomationAsync(new ResumeAutomationRequest { TenantId = t, ContactId = Unknown, CardId = "card-1" }).ResponseAsync,
        ["PauseAllOutreach"] = (h, t) => h.Handoffs.PauseAllOutreachAsync(new PauseAllOutreachRequest { TenantId = t, ContactId = Unknown }).ResponseAsync,
        ["ResumeOutreach"] = (h, t) => h.Handoffs.ResumeOutreachAsync(new ResumeOutreachRequest { TenantId = t, ContactId = Unknown }).ResponseAsync,
        ["QueueMessage"] = (h, t) => h.Outreach.QueueMessageAsync(new QueueMessageRequest
        {
            TenantId = t, ContactId = Unknown, Source = MessageSource.Manual, Channel = Channel.Email, Body = "Hi",
        }).ResponseAsync,
        ["ListMessages"] = (h, t) => h.Outreach.ListMessagesAsync(new ListMessagesRequest { TenantId = t, ContactId = Unknown }).ResponseAsync,
        ["CheckOutreach"] = (h, t) => h.Outreach.CheckOutreachAsync(new CheckOutreachRequest { TenantId = t, ContactId = Unknown, Source = MessageSource.Si }).ResponseAsync,
        ["ClaimDueMessages"] = (h, t) => h.Outreach.ClaimDueMessagesAsync(new ClaimDueMessagesRequest { TenantId = t, ContactId = Unknown }).ResponseAsync,
    };

    public static TheoryData<string> UnknownContactRpcs => new(OnUnknownContact.Keys);

    [Theory]
    [MemberData(nameof(UnknownContactRpcs))]
    public async Task A_call_on_a_contact_that_was_never_created_is_NOT_FOUND(string rpc)
    {
        var tenant = ServerFixture.NewTenant();
        var e = await RpcAssert.FailsAsync(StatusCode.NotFound, () => OnUnknownContact[rpc](fixture.Host, tenant));
        Assert.Contains(Unknown, e.Status.Detail);

        // Asking did not create it.
        await RpcAssert.FailsAsync(StatusCode.NotFound, () => OnUnknownContact["GetContact"](fixture.Host, tenant));
    }

    [Fact]
    public async Task A_contact_of_another_tenant_is_NOT_FOUND()
    {
        var tenant = new TestTenant(fixture.Host);
        await tenant.UpsertContactAsync("c-1");

        await RpcAssert.FailsAsync(StatusCode.NotFound, () => fixture.Host.Contacts.GetContactAsync(
            new GetContactRequest { TenantId = ServerFixture.NewTenant(), ContactId = "c-1" }).ResponseAsync);
    }

    [Fact]
    public async Task GetHandoffCard_on_a_contact_that_never_had_a_card_is_NOT_FOUND()
    {
        var tenant = new TestTenant(fixture.Host);
        var contact = await tenant.UpsertContactAsync("c-1", owner: "alice");
        Assert.Null(contact.Card);

        await RpcAssert.FailsAsync(StatusCode.NotFound, () => fixture.Host.Handoffs.GetHandoffCardAsync(
            new GetHandoffCardRequest { TenantId = tenant.Id, ContactId = "c-1" }).ResponseAsync);
    }

    public static TheoryData<string> CardActions => new(StaleActions.Keys);

    private static readonly Dictionary<string, Func<ServerHost, string, string, string, Task>> StaleActions = new()
    {
        ["ResumeAutomation"] = (h, t, c, card) => h.Handoffs.ResumeAutomationAsync(new ResumeAutomationRequest { TenantId = t, ContactId = c, CardId = card, ActorUserId = "alice" }).ResponseAsync,
        ["PauseAllOutreach"] = (h, t, c, card) => h.Handoffs.PauseAllOutreachAsync(new PauseAllOutreachRequest { TenantId = t, ContactId = c, CardId = card, ActorUserId = "alice" }).ResponseAsync,
        ["ResumeOutreach"] = (h, t, c, card) => h.Handoffs.ResumeOutreachAsync(new ResumeOutreachRequest { TenantId = t, ContactId = c, CardId = card, ActorUserId = "alice" }).ResponseAsync,
        ["SetAutoEngage"] = (h, t, c, card) => h.Contacts.SetAutoEngageAsync(new SetAutoEngageRequest { TenantId = t, ContactId = c, CardId = card, Enabled = false, ActorUserId = "alice" }).ResponseAsync,
        ["AssignOwner"] = (h, t, c, card) => h.Contacts.AssignOwnerAsync(new AssignOwnerRequest { TenantId = t, ContactId = c, CardId = card, OwnerUserId = "bob", ActorUserId = "alice" }).ResponseAsync,
    };

    [Theory]
    [MemberData(nameof(CardActions))]
    public async Task An_action_naming_another_card_than_the_active_one_is_FAILED_PRECONDITION_and_changes_nothing(string action)
    {
        var tenant = new TestTenant(fixture.Host);
        var raised = await tenant.RaiseCardAsync("c-1", owner: "alice");
        var before = await tenant.GetContactAsync("c-1");

        var e = await RpcAssert.FailsAsync(StatusCode.FailedPrecondition,
            () => StaleActions[action](fixture.Host, tenant.Id, raised.ContactId, "an-older-card"));
        Assert.Contains("an-older-card", e.Status.Detail);

        var after = await tenant.GetContactAsync("c-1");
        Assert.Equal(before.Card, after.Card);
        Assert.Equal(before.OwnerUserId, after.OwnerUserId);
        Assert.Equal(before.AutoEngage, after.AutoEngage);
        Assert.Equal(before.OutreachPause, after.OutreachPause);
    }

    [Theory]
    [MemberData(nameof(CardActions))]
    public async Task An_action_naming_a_card_on_a_contact_without_one_is_FAILED_PRECONDITION(string action)
    {
        var tenant = new TestTenant(fixture.Host);
        await tenant.UpsertContactAsync("c-1", owner: "alice");

        await RpcAssert.FailsAsync(StatusCode.FailedPrecondition,
            () => StaleActions[action](fixture.Host, tenant.Id, "c-1", "card-from-another-screen"));
    }

    [Fact]
    public async Task SetAutoEngage_with_an_empty_card_id_while_a_card_is_active_is_FAILED_PRECONDITION()
    {
        var tenant = new TestTenant(fixture.Host);
        var raised = await tenant.RaiseCardAsync("c-1", owner: "alice");

        await RpcAssert.FailsAsync(StatusCode.FailedPrecondition, () => fixture.Host.Contacts.SetAutoEngageAsync(new SetAutoEngageRequest
        {
            TenantId = tenant.Id, ContactId = raised.ContactId, CardId = "", Enabled = false, ActorUserId = "alice",
        }).ResponseAsync);
        Assert.True((await tenant.GetContactAsync("c-1")).AutoEngage);

        // The same call naming the card the screen shows goes through.
        var turnedOff = await fixture.Host.Contacts.SetAutoEngageAsync(new SetAutoEngageRequest
        {
            TenantId = tenant.Id, ContactId = raised.ContactId, CardId = raised.Card.CardId, Enabled = false, ActorUserId = "alice",
        });
        Assert.False(turnedOff.Contact.AutoEngage);
    }

    [Fact]
    public async Task A_resolved_card_id_is_still_current_so_repeating_Resume_is_idempotent_while_a_made_up_id_is_not()
    {
        var tenant = new TestTenant(fixture.Host);
        var raised = await tenant.RaiseCardAsync("c-1", owner: "alice");
        var resume = new ResumeAutomationRequest { TenantId = tenant.Id, ContactId = raised.ContactId, CardId = raised.Card.CardId, ActorUserId = "alice" };

        var first = (await fixture.Host.Handoffs.ResumeAutomationAsync(resume)).Contact;
        var again = (await fixture.Host.Handoffs.ResumeAutomationAsync(resume)).Contact;

        Assert.Equal(CardStatus.Resolved, again.Card.Status);
        Assert.Equal(first.Card, again.Card);
        await RpcAssert.FailsAsync(StatusCode.FailedPrecondition, () => fixture.Host.Handoffs.ResumeAutomationAsync(
            new ResumeAutomationRequest { TenantId = tenant.Id, ContactId = raised.ContactId, CardId = "made-up", ActorUserId = "alice" }).ResponseAsync);
    }
}
