using Handoff.Protos.V1;
using Handoff.Server.Tests.Support;

namespace Handoff.Server.Tests.Services;

/// <summary>HandoffService and the owner moves of ContactService, over gRPC against the real host.</summary>
[Collection(ServerCollection.Name)]
public sealed class HandoffTests(ServerFixture fixture)
{
    private HandoffService.HandoffServiceClient Handoffs => fixture.Host.Handoffs;

    [Fact]
    public async Task GetHandoffCard_returns_the_active_card_as_the_sidebar_shows_it()
    {
        var tenant = new TestTenant(fixture.Host);
        var raised = await tenant.RaiseCardAsync("c-1", owner: "alice");

        var card = (await Handoffs.GetHandoffCardAsync(new GetHandoffCardRequest { TenantId = tenant.Id, ContactId = "c-1" })).Card;

        Assert.Equal(raised.Card, card);
        Assert.Equal("SI Human Handoff", card.Label);
        Assert.Equal(1, card.Version);
        Assert.Equal(CardStatus.Active, card.Status);
        Assert.Equal(CardResolution.Unspecified, card.Resolution);
        Assert.Equal(PipelinePhase.Win, card.PhaseAtRaise);
        Assert.Equal(LifecycleStage.Sql, card.StageAtRaise);
        Assert.NotEmpty(card.Summary);
        Assert.NotEmpty(card.Reasons);
        Assert.All(card.Reasons, r =>
        {
            Assert.NotEqual(HandoffReason.Unspecified, r.Reason);
            Assert.NotEmpty(r.Evidence);
            Assert.NotNull(r.DetectTime);
        });
        Assert.NotNull(card.CreateTime);
        Assert.Null(card.ResolveTime);
        Assert.Equal("", card.ResolvedByUserId);
    }

    [Fact]
    public async Task ListActiveHandoffs_filters_by_owner_unassigned_or_all_oldest_first()
    {
        var tenant = new TestTenant(fixture.Host);
        await tenant.RaiseCardAsync("a-1", owner: "alice");
        var b1 = await tenant.RaiseCardAsync("b-1", owner: "bob");
        await tenant.RaiseCardAsync("u-1", owner: "");
        await tenant.RaiseCardAsync("a-2", owner: "alice");
        var resolved = await tenant.RaiseCardAsync("a-3", owner: "alice");
        await ResumeAsync(tenant, resolved);
        await tenant.UpsertContactAsync("no-card", owner: "alice");

        Assert.Equal(["a-1", "a-2"], await ListAsync(tenant, OwnerFilter.Owner, "alice"));
        Assert.Equal(["b-1"], await ListAsync(tenant, OwnerFilter.Owner, "bob"));
        Assert.Empty(await ListAsync(tenant, OwnerFilter.Owner, "carol"));
        Assert.Equal(["u-1"], await ListAsync(tenant, OwnerFilter.Unassigned));
        Assert.Equal(["a-1", "b-1", "u-1", "a-2"], await ListAsync(tenant, OwnerFilter.All));
        Assert.Equal(["a-1", "b-1", "u-1", "a-2"], await ListAsync(tenant, OwnerFilter.Unspecified));

        var entry = (await Handoffs.ListActiveHandoffsAsync(new ListActiveHandoffsRequest
        {
            TenantId = tenant.Id, OwnerFilter = OwnerFilter.Owner, OwnerUserId = "bob",
        })).Handoffs.Single();
        Assert.Equal(("b-1", "Contact b-1", "bob", b1.Card.CardId, b1.Card.Version, b1.Card.ScoreAtRaise),
            (entry.ContactId, entry.ContactDisplayName, entry.OwnerUserId, entry.CardId, entry.CardVersion, entry.ScoreAtRaise));
        Assert.Equal(b1.Card.Reasons.Select(r => r.Reason), entry.Reasons);
        Assert.Equal(b1.Card.CreateTime, entry.CreateTime);
    }

    [Fact]
    public async Task ListActiveHandoffs_pages_with_page_tokens()
    {
        var tenant = new TestTenant(fixture.Host);
        foreach (var contact in new[] { "c-1", "c-2", "c-3", "c-4", "c-5" })
        {
            await tenant.RaiseCardAsync(contact, owner: contact == "c-3" ? "bob" : "alice");
        }

        var pages = new List<string[]>();
        var token = "";
        do
        {
            var page = await Handoffs.ListActiveHandoffsAsync(new ListActiveHandoffsRequest { TenantId = tenant.Id, PageSize = 2, PageToken = token });
            pages.Add(page.Handoffs.Select(h => h.ContactId).ToArray());
            token = page.NextPageToken;
            Assert.True(pages.Count <= 10, "The page tokens never end.");
        }
        while (token.Length > 0);

        Assert.Equal([["c-1", "c-2"], ["c-3", "c-4"], ["c-5"]], pages);

        var alicePage = await Handoffs.ListActiveHandoffsAsync(new ListActiveHandoffsRequest
        {
            TenantId = tenant.Id, OwnerFilter = OwnerFilter.Owner, OwnerUserId = "alice", PageSize = 3,
        });
        Assert.Equal(["c-1", "c-2", "c-4"], alicePage.Handoffs.Select(h => h.ContactId));
        var aliceRest = await Handoffs.ListActiveHandoffsAsync(new ListActiveHandoffsRequest
        {
            TenantId = tenant.Id, OwnerFilter = OwnerFilter.Owner, OwnerUserId = "alice", PageSize = 3, PageToken = alicePage.NextPageToken,
        });
        Assert.Equal(["c-5"], aliceRest.Handoffs.Select(h => h.ContactId));
        Assert.Equal("", aliceRest.NextPageToken);
    }

    [Fact]
    public async Task AssignOwner_moves_the_notification_to_the_new_owners_inbox()
    {
        var tenant = new TestTenant(fixture.Host);
        var raised = await tenant.RaiseCardAsync("c-1", owner: "alice");
        using var bobsWatch = fixture.Host.Notifications.WatchNotifications(new WatchNotificationsRequest { TenantId = tenant.Id, Inbox = TestTenant.UserInbox("bob") });

        var assigned = (await fixture.Host.Contacts.AssignOwnerAsync(new AssignOwnerRequest
        {
            TenantId = tenant.Id, ContactId = "c-1", OwnerUserId = "bob", CardId = raised.Card.CardId, ActorUserId = "manager",
        })).Contact;

        Assert.Equal("bob", assigned.OwnerUserId);
        Assert.Equal(CardStatus.Active, assigned.Card.Status);
        Assert.Contains(assigned.Card.Actions, a => a.Kind == ActionKind.AssignOwner && a.ActorUserId == "manager");

        var old = Assert.Single((await tenant.ListNotificationsAsync(TestTenant.UserInbox("alice"))).Notifications);
        Assert.Equal(raised.Card.CardId, old.CardId);
        Assert.True(old.Resolved);
        Assert.Equal(NotificationResolution.Reassigned, old.Resolution);
        Assert.NotNull(old.ResolveTime);

        var moved = Assert.Single((await tenant.ListNotificationsAsync(TestTenant.UserInbox("bob"))).Notifications);
        Assert.Equal((raised.Card.CardId, "c-1", NotificationPriority.High), (moved.CardId, moved.ContactId, moved.Priority));
        Assert.False(moved.Resolved);
        Assert.Equal(NotificationResolution.Unspecified, moved.Resolution);
        Assert.Equal(moved, (await bobsWatch.ResponseStream.NextAsync()).Notification);

        Assert.Equal(["c-1"], await ListAsync(tenant, OwnerFilter.Owner, "bob"));
        Assert.Empty(await ListAsync(tenant, OwnerFilter.Owner, "alice"));
        var history = await fixture.Host.Contacts.GetContactHistoryAsync(new GetContactHistoryRequest { TenantId = tenant.Id, ContactId = "c-1" });
        var entry = history.Entries.Last();
        Assert.Equal((HistoryEntryKind.OwnerAssigned, "manager", raised.Card.CardId), (entry.Kind, entry.ActorUserId, entry.CardId));
    }

    [Fact]
    public async Task Unassigning_moves_the_notification_to_the_unassigned_inbox()
    {
        var tenant = new TestTenant(fixture.Host);
        var raised = await tenant.RaiseCardAsync("c-1", owner: "alice");

        await fixture.Host.Contacts.AssignOwnerAsync(new AssignOwnerRequest
        {
            TenantId = tenant.Id, ContactId = "c-1", OwnerUserId = "", CardId = raised.Card.CardId, ActorUserId = "alice",
        });

        Assert.Equal(NotificationResolution.Reassigned, Assert.Single((await tenant.ListNotificationsAsync(TestTenant.UserInbox("alice"))).Notifications).Resolution);
        var moved = Assert.Single((await tenant.ListNotificationsAsync(TestTenant.UnassignedInbox)).Notifications);
        Assert.Equal(raised.Card.CardId, moved.CardId);
        Assert.False(moved.Resolved);
        Assert.Equal(["c-1"], await ListAsync(tenant, OwnerFilter.Unassigned));
    }

    [Fact]
    public async Task A_new_reason_while_the_card_is_active_updates_the_card_and_its_notification_instead_of_adding_one()
    {
        var tenant = new TestTenant(fixture.Host);
        var raised = await tenant.RaiseCardAsync("c-1", owner: "alice");
        Assert.DoesNotContain(raised.Card.Reasons, r => r.Reason == HandoffReason.NeedsHumanJudgement);

        await tenant.IngestAsync([new ProtoEvents("c-1").At(TimeSpan.FromMinutes(1), EventType.SmsReceived, Channel.Sms,
            text: "Can someone call me? I would rather talk to a person about this.")]);

        var card = (await Handoffs.GetHandoffCardAsync(new GetHandoffCardRequest { TenantId = tenant.Id, ContactId = "c-1" })).Card;
        Assert.Equal((raised.Card.CardId, 2, CardStatus.Active), (card.CardId, card.Version, card.Status));
        Assert.Contains(card.Reasons, r => r.Reason == HandoffReason.NeedsHumanJudgement);
        var notification = Assert.Single((await tenant.ListNotificationsAsync(TestTenant.UserInbox("alice"))).Notifications);
        Assert.Equal((card.CardId, 2), (notification.CardId, notification.CardVersion));
        Assert.Contains(HandoffReason.NeedsHumanJudgement, notification.Reasons);
        var listed = Assert.Single((await Handoffs.ListActiveHandoffsAsync(new ListActiveHandoffsRequest { TenantId = tenant.Id })).Handoffs);
        Assert.Equal(2, listed.CardVersion);
        Assert.Contains(HandoffReason.NeedsHumanJudgement, listed.Reasons);
    }

    [Fact]
    public async Task ResumeAutomation_after_a_reassignment_resolves_the_notification_in_the_new_owners_inbox()
    {
        var tenant = new TestTenant(fixture.Host);
        var raised = await tenant.RaiseCardAsync("c-1", owner: "alice");
        await fixture.Host.Contacts.AssignOwnerAsync(new AssignOwnerRequest
        {
            TenantId = tenant.Id, ContactId = "c-1", OwnerUserId = "bob", CardId = raised.Card.CardId, ActorUserId = "alice",
        });

        await Handoffs.ResumeAutomationAsync(new ResumeAutomationRequest { TenantId = tenant.Id, ContactId = "c-1", CardId = raised.Card.CardId, ActorUserId = "bob" });

        var alices = Assert.Single((await tenant.ListNotificationsAsync(TestTenant.UserInbox("alice"))).Notifications);
        var bobs = Assert.Single((await tenant.ListNotificationsAsync(TestTenant.UserInbox("bob"))).Notifications);
        Assert.Equal(NotificationResolution.Reassigned, alices.Resolution);
        Assert.Equal(NotificationResolution.CardResolved, bobs.Resolution);
        Assert.Empty(await ListAsync(tenant, OwnerFilter.All));
    }

    [Fact]
    public async Task ResumeAutomation_resolves_the_card_and_its_notification_and_leaves_the_active_list()
    {
        var tenant = new TestTenant(fixture.Host);
        var raised = await tenant.RaiseCardAsync("c-1", owner: "alice");

        var contact = await ResumeAsync(tenant, raised);

        Assert.Equal((CardStatus.Resolved, CardResolution.Resumed, "alice"), (contact.Card.Status, contact.Card.Resolution, contact.Card.ResolvedByUserId));
        Assert.NotNull(contact.Card.ResolveTime);
        Assert.True(contact.AutoEngage);
        Assert.Equal(Recommendation.ContinueAutomation, contact.Engagement.Recommendation);
        var card = (await Handoffs.GetHandoffCardAsync(new GetHandoffCardRequest { TenantId = tenant.Id, ContactId = "c-1" })).Card;
        Assert.Equal(contact.Card, card);
        var notification = Assert.Single((await tenant.ListNotificationsAsync(TestTenant.UserInbox("alice"))).Notifications);
        Assert.Equal((true, NotificationResolution.CardResolved), (notification.Resolved, notification.Resolution));
        Assert.Empty(await ListAsync(tenant, OwnerFilter.All));
    }

    [Fact]
    public async Task PauseAllOutreach_holds_everything_and_ResumeOutreach_lifts_the_pause_without_touching_the_card()
    {
        var tenant = new TestTenant(fixture.Host);
        var raised = await tenant.RaiseCardAsync("c-1", owner: "alice");
        await tenant.QueueAsync("c-1", "si-1", MessageSource.Si);
        await tenant.QueueAsync("c-1", "manual-1", MessageSource.Manual);

        var paused = (await Handoffs.PauseAllOutreachAsync(new PauseAllOutreachRequest
        {
            TenantId = tenant.Id, ContactId = "c-1", CardId = raised.Card.CardId, ActorUserId = "alice", Reason = "Calling myself",
        })).Contact;
        Assert.Equal((true, "alice", "Calling myself"), (paused.OutreachPause.Paused, paused.OutreachPause.PausedByUserId, paused.OutreachPause.Reason));
        Assert.Equal(CardStatus.Active, paused.Card.Status);
        Assert.Equal(
            [("si-1", MessageStatus.Held, DenialReason.OutreachPaused), ("manual-1", MessageStatus.Held, DenialReason.OutreachPaused)],
            await MessagesAsync(tenant, "c-1"));

        var resumed = (await Handoffs.ResumeOutreachAsync(new ResumeOutreachRequest
        {
            TenantId = tenant.Id, ContactId = "c-1", CardId = raised.Card.CardId, ActorUserId = "alice",
        })).Contact;
        Assert.False(resumed.OutreachPause.Paused);
        Assert.Equal(CardStatus.Active, resumed.Card.Status);
        Assert.Equal(raised.Card.CardId, resumed.Card.CardId);
        Assert.Equal(
            [("si-1", MessageStatus.Held, DenialReason.HandoffActive), ("manual-1", MessageStatus.Queued, DenialReason.Unspecified)],
            await MessagesAsync(tenant, "c-1"));
        Assert.Equal(
            [ActionKind.PauseAllOutreach, ActionKind.ResumeOutreach],
            resumed.Card.Actions.Select(a => a.Kind));
    }

    private async Task<Contact> ResumeAsync(TestTenant tenant, RaisedCard raised) =>
        (await Handoffs.ResumeAutomationAsync(new ResumeAutomationRequest
        {
            TenantId = tenant.Id, ContactId = raised.ContactId, CardId = raised.Card.CardId, ActorUserId = "alice",
        })).Contact;

    private async Task<List<string>> ListAsync(TestTenant tenant, OwnerFilter filter, string owner = "")
    {
        var response = await Handoffs.ListActiveHandoffsAsync(new ListActiveHandoffsRequest { TenantId = tenant.Id, OwnerFilter = filter, OwnerUserId = owner });
        Assert.Equal("", response.NextPageToken);
        return response.Handoffs.Select(h => h.ContactId).ToList();
    }

    private async Task<List<(string, MessageStatus, DenialReason)>> MessagesAsync(TestTenant tenant, string contactId) =>
        (await fixture.Host.Outreach.ListMessagesAsync(new ListMessagesRequest { TenantId = tenant.Id, ContactId = contactId }))
        .Messages.Select(m => (m.MessageId, m.Status, m.HoldReason)).ToList();
}
