using Handoff.Protos.V1;
using Handoff.Server.Tests.Support;

namespace Handoff.Server.Tests.Services;

/// <summary>ContactService over gRPC: the sidebar profile, partial upserts, the audit trail and its paging.</summary>
[Collection(ServerCollection.Name)]
public sealed class ContactTests(ServerFixture fixture)
{
    private ContactService.ContactServiceClient Contacts => fixture.Host.Contacts;

    [Fact]
    public async Task Ids_with_braces_are_opaque_like_any_other_and_their_contact_card_and_inbox_survive_a_restart()
    {
        // A CRM's GUID in braces, and an owner id with them: both become grain keys, which Orleans' ADO.NET storage
        // cannot write with a brace in them unless the keys escape it.
        var host = await ServerHost.StartAsync();
        try
        {
            var tenant = new TestTenant(host);
            const string ContactId = "{3F2504E0-4F89-11D3-9A0C-0305E82C3301}";
            const string Owner = "al{ice}";
            var raised = await tenant.RaiseCardAsync(ContactId, Owner);

            host = await host.RestartAsync();
            tenant = new TestTenant(host, tenant.Id);
            var contact = await tenant.GetContactAsync(ContactId);
            var inbox = await tenant.ListNotificationsAsync(TestTenant.UserInbox(Owner));

            Assert.Equal((ContactId, Owner), (contact.ContactId, contact.OwnerUserId));
            Assert.Equal(raised.Card.CardId, contact.Card.CardId);
            Assert.Equal((ContactId, raised.Card.CardId), (Assert.Single(inbox.Notifications).ContactId, inbox.Notifications[0].CardId));
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_new_contact_starts_as_a_LEAD_in_DISCOVER_with_Auto_Engage_on_and_no_card()
    {
        var tenant = new TestTenant(fixture.Host);

        var created = (await Contacts.UpsertContactAsync(new UpsertContactRequest { TenantId = tenant.Id, ContactId = "c-1" })).Contact;

        Assert.Equal((tenant.Id, "c-1", "", ""), (created.TenantId, created.ContactId, created.DisplayName, created.OwnerUserId));
        Assert.Equal((LifecycleStage.Lead, PipelinePhase.Discover), (created.Stage, created.Phase));
        Assert.True(created.AutoEngage);
        Assert.False(created.OutreachPause.Paused);
        Assert.False(created.Unsubscribed);
        Assert.Null(created.Card);
        Assert.Equal((0, 0L), (created.Engagement.RecentEventCount, created.Engagement.TotalEventCount));
        Assert.NotNull(created.CreateTime);
        Assert.Equal(created, await tenant.GetContactAsync("c-1"));
    }

    [Fact]
    public async Task UpsertContact_keeps_what_the_request_leaves_unset()
    {
        var tenant = new TestTenant(fixture.Host);
        await tenant.UpsertContactAsync("c-1", owner: "alice", stage: LifecycleStage.Mql, phase: PipelinePhase.Engage, displayName: "Brandon Lee");

        var renamed = (await Contacts.UpsertContactAsync(new UpsertContactRequest { TenantId = tenant.Id, ContactId = "c-1", DisplayName = "Brandon J. Lee" })).Contact;
        Assert.Equal(("Brandon J. Lee", "alice", LifecycleStage.Mql, PipelinePhase.Engage), (renamed.DisplayName, renamed.OwnerUserId, renamed.Stage, renamed.Phase));

        var promoted = (await Contacts.UpsertContactAsync(new UpsertContactRequest { TenantId = tenant.Id, ContactId = "c-1", Stage = LifecycleStage.Sql })).Contact;
        Assert.Equal(("Brandon J. Lee", "alice", LifecycleStage.Sql, PipelinePhase.Engage), (promoted.DisplayName, promoted.OwnerUserId, promoted.Stage, promoted.Phase));

        // An owner that is set but empty unassigns.
        var unassigned = (await Contacts.UpsertContactAsync(new UpsertContactRequest { TenantId = tenant.Id, ContactId = "c-1", OwnerUserId = "" })).Contact;
        Assert.Equal(("Brandon J. Lee", "", LifecycleStage.Sql), (unassigned.DisplayName, unassigned.OwnerUserId, unassigned.Stage));
    }

    [Fact]
    public async Task GetContact_shows_the_engagement_the_events_made()
    {
        var tenant = new TestTenant(fixture.Host);
        await tenant.UpsertContactAsync("c-1", phase: PipelinePhase.Engage);
        var events = new ProtoEvents("c-1");
        var latest = events.At(TimeSpan.FromMinutes(10), EventType.EmailClicked, Channel.Email);

        await tenant.IngestAsync([events.Opened(TimeSpan.FromHours(3)), latest, events.Opened(TimeSpan.FromHours(1))]);

        var engagement = (await tenant.GetContactAsync("c-1")).Engagement;
        Assert.Equal((3, 3L), (engagement.RecentEventCount, engagement.TotalEventCount));
        Assert.Equal(latest.OccurTime, engagement.LastEventTime);
        Assert.InRange(engagement.Score, 1, 100);
        Assert.Equal(Recommendation.ContinueAutomation, engagement.Recommendation);
        Assert.Empty(engagement.Reasons);
    }

    [Fact]
    public async Task Renaming_a_contact_with_an_active_card_reaches_the_active_handoff_list()
    {
        var tenant = new TestTenant(fixture.Host);
        await tenant.RaiseCardAsync("c-1", owner: "alice");

        await Contacts.UpsertContactAsync(new UpsertContactRequest { TenantId = tenant.Id, ContactId = "c-1", DisplayName = "Renamed" });

        var active = await fixture.Host.Handoffs.ListActiveHandoffsAsync(new ListActiveHandoffsRequest { TenantId = tenant.Id });
        Assert.Equal("Renamed", Assert.Single(active.Handoffs).ContactDisplayName);
    }

    [Fact]
    public async Task An_owner_or_stage_event_older_than_an_upsert_does_not_undo_it()
    {
        var tenant = new TestTenant(fixture.Host);
        await tenant.UpsertContactAsync("c-1", owner: "alice", stage: LifecycleStage.Sql, phase: PipelinePhase.Engage);
        var events = new ProtoEvents("c-1");
        var ownerEvent = events.At(TimeSpan.FromHours(1), EventType.OwnerChanged);
        ownerEvent.OwnerUserId = "bob";
        var stageEvent = events.At(TimeSpan.FromHours(1), EventType.StageChanged);
        stageEvent.Stage = LifecycleStage.Lead;

        var ack = await tenant.IngestAsync([ownerEvent, stageEvent]);

        Assert.Equal(2, ack.AcceptedCount);
        var contact = await tenant.GetContactAsync("c-1");
        Assert.Equal(("alice", LifecycleStage.Sql), (contact.OwnerUserId, contact.Stage));
    }

    [Fact]
    public async Task SetAutoEngage_is_idempotent_and_recorded_once()
    {
        var tenant = new TestTenant(fixture.Host);
        await tenant.UpsertContactAsync("c-1", phase: PipelinePhase.Engage);
        var off = new SetAutoEngageRequest { TenantId = tenant.Id, ContactId = "c-1", Enabled = false, ActorUserId = "alice" };

        Assert.False((await Contacts.SetAutoEngageAsync(off)).Contact.AutoEngage);
        Assert.False((await Contacts.SetAutoEngageAsync(off)).Contact.AutoEngage);

        var history = await Contacts.GetContactHistoryAsync(new GetContactHistoryRequest { TenantId = tenant.Id, ContactId = "c-1" });
        var entry = Assert.Single(history.Entries, e => e.Kind == HistoryEntryKind.AutoEngageOff);
        Assert.Equal("alice", entry.ActorUserId);
    }

    [Fact]
    public async Task GetContactHistory_pages_the_audit_trail_oldest_first()
    {
        var tenant = new TestTenant(fixture.Host);
        var raised = await tenant.RaiseCardAsync("c-1", owner: "alice");
        var card = raised.Card.CardId;
        var handoffs = fixture.Host.Handoffs;
        await handoffs.PauseAllOutreachAsync(new PauseAllOutreachRequest { TenantId = tenant.Id, ContactId = "c-1", CardId = card, ActorUserId = "alice" });
        await handoffs.ResumeOutreachAsync(new ResumeOutreachRequest { TenantId = tenant.Id, ContactId = "c-1", CardId = card, ActorUserId = "alice" });
        await handoffs.ResumeAutomationAsync(new ResumeAutomationRequest { TenantId = tenant.Id, ContactId = "c-1", CardId = card, ActorUserId = "bob" });

        var pages = new List<GetContactHistoryResponse>();
        var token = "";
        do
        {
            var page = await Contacts.GetContactHistoryAsync(new GetContactHistoryRequest { TenantId = tenant.Id, ContactId = "c-1", PageSize = 4, PageToken = token });
            pages.Add(page);
            token = page.NextPageToken;
            Assert.True(pages.Count <= 10, "The page tokens never end.");
        }
        while (token.Length > 0);

        Assert.Equal([4, 2], pages.Select(p => p.Entries.Count));
        var entries = pages.SelectMany(p => p.Entries).ToList();
        Assert.Equal(Enumerable.Range(1, 6).Select(i => (long)i), entries.Select(e => e.Sequence));
        Assert.Equal(
            [
                (HistoryEntryKind.OwnerAssigned, "crm-sync"), (HistoryEntryKind.CardRaised, ""), (HistoryEntryKind.OutreachPaused, "alice"),
                (HistoryEntryKind.OutreachResumed, "alice"), (HistoryEntryKind.AutomationResumed, "bob"), (HistoryEntryKind.CardResolved, "bob"),
            ],
            entries.Select(e => (e.Kind, e.ActorUserId)));
        Assert.All(entries.Skip(1), e => Assert.Equal(card, e.CardId));
        Assert.All(entries, e => Assert.False(string.IsNullOrWhiteSpace(e.Detail)));
        Assert.Equal(entries.Select(e => e.EntryTime.ToDateTimeOffset()).Order(), entries.Select(e => e.EntryTime.ToDateTimeOffset()));
    }
}
