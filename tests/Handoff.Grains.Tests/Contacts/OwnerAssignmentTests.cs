using Handoff.Grains.Contacts;
using Handoff.Grains.Handoffs;
using Handoff.Grains.Notifications;
using Handoff.Grains.Tests.Support;

namespace Handoff.Grains.Tests.Contacts;

/// <summary>The card's notification follows the contact to its new owner, and the tenant's list follows too.</summary>
[Collection(GrainCollection.Name)]
public sealed class OwnerAssignmentTests(GrainClusterFixture fixture)
{
    [Fact]
    public async Task Assigning_the_contact_moves_the_notification_to_the_new_owner_then_to_the_unassigned_inbox()
    {
        var tenant = Scenarios.NewTenantId();
        var a = Scenarios.NewUserId("a");
        var b = Scenarios.NewUserId("b");
        var handoff = await fixture.RaiseHandoffAsync(tenant, a);
        var index = fixture.Grains.HandoffIndex(tenant);
        var aInbox = fixture.Grains.UserInbox(tenant, a);
        var bInbox = fixture.Grains.UserInbox(tenant, b);
        var unassigned = fixture.Grains.Inbox(tenant, InboxAddress.Unassigned);

        var snapshot = await handoff.Contact.AssignOwner(b, handoff.Card.CardId, "manager");

        Assert.Equal(b, snapshot.OwnerUserId);
        var old = Assert.Single(await aInbox.NotificationsAbout(handoff.ContactId));
        Assert.Equal(NotificationResolution.Reassigned, old.Resolution);
        var moved = Assert.Single(await bInbox.NotificationsAbout(handoff.ContactId));
        Assert.False(moved.Resolved);
        Assert.Equal(handoff.Card.CardId, moved.Notice.CardId);
        Assert.Equal(NotificationPriority.High, moved.Notice.Priority);
        Assert.Equal([handoff.ContactId], (await index.List(OwnerFilter.Owner, b, 0, 50)).Handoffs.Select(h => h.ContactId));
        Assert.Empty((await index.List(OwnerFilter.Owner, a, 0, 50)).Handoffs);
        var assigned = (await handoff.Contact.AllHistory()).Last();
        Assert.Equal((HistoryKind.OwnerAssigned, "manager", handoff.Card.CardId), (assigned.Kind, assigned.ActorUserId, assigned.CardId));
        Assert.Contains(b, assigned.Detail);
        Assert.Equal(new ActionRecord(ActionKind.AssignOwner, "manager", fixture.Now), snapshot.Card!.Actions[^1]);

        snapshot = await handoff.Contact.AssignOwner("", handoff.Card.CardId, "manager");

        Assert.Equal("", snapshot.OwnerUserId);
        Assert.Equal(NotificationResolution.Reassigned, Assert.Single(await bInbox.NotificationsAbout(handoff.ContactId)).Resolution);
        var parked = Assert.Single(await unassigned.NotificationsAbout(handoff.ContactId));
        Assert.False(parked.Resolved);
        Assert.Equal([handoff.ContactId], (await index.List(OwnerFilter.Unassigned, "", 0, 50)).Handoffs.Select(h => h.ContactId));
        Assert.Empty((await index.List(OwnerFilter.Owner, b, 0, 50)).Handoffs);
        Assert.Equal(3, (await handoff.Contact.AllHistory()).Count(h => h.Kind == HistoryKind.OwnerAssigned));

        // Resuming now resolves the notification where it sits.
        await handoff.Contact.ResumeAutomation(handoff.Card.CardId, "manager");
        Assert.Equal(NotificationResolution.CardResolved, Assert.Single(await unassigned.NotificationsAbout(handoff.ContactId)).Resolution);
    }

    [Fact]
    public async Task Assigning_the_same_owner_again_changes_nothing()
    {
        var a = Scenarios.NewUserId("a");
        var handoff = await fixture.RaiseHandoffAsync("acme", a);
        var history = await handoff.Contact.AllHistory();

        await handoff.Contact.AssignOwner(a, handoff.Card.CardId, "manager");

        Assert.Equal(history, await handoff.Contact.AllHistory());
        Assert.False(Assert.Single(await fixture.Grains.UserInbox("acme", a).NotificationsAbout(handoff.ContactId)).Resolved);
    }

    [Fact]
    public async Task Assigning_with_a_stale_card_id_fails()
    {
        var a = Scenarios.NewUserId("a");
        var handoff = await fixture.RaiseHandoffAsync("acme", a);

        await Assert.ThrowsAsync<StaleCardException>(() => handoff.Contact.AssignOwner(Scenarios.NewUserId("b"), "stale", "manager"));

        Assert.Equal(a, (await handoff.Contact.Get()).OwnerUserId);
    }

    [Fact]
    public async Task An_owner_changed_event_moves_the_notification_like_an_assignment()
    {
        var tenant = Scenarios.NewTenantId();
        var a = Scenarios.NewUserId("a");
        var c = Scenarios.NewUserId("c");
        var handoff = await fixture.RaiseHandoffAsync(tenant, a);
        fixture.Clock.Advance(TimeSpan.FromMinutes(2));

        // The CRM reports a change that happened after the owner was set.
        await fixture.IngestAsync(handoff.Contact, [new Events(fixture.Now).OwnerChanged(TimeSpan.FromMinutes(1), c)]);

        Assert.Equal(c, (await handoff.Contact.Get()).OwnerUserId);
        Assert.Equal(NotificationResolution.Reassigned, Assert.Single(await fixture.Grains.UserInbox(tenant, a).NotificationsAbout(handoff.ContactId)).Resolution);
        var moved = Assert.Single(await fixture.Grains.UserInbox(tenant, c).NotificationsAbout(handoff.ContactId));
        Assert.False(moved.Resolved);
        Assert.Equal([handoff.ContactId], (await fixture.Grains.HandoffIndex(tenant).List(OwnerFilter.Owner, c, 0, 50)).Handoffs.Select(h => h.ContactId));
        var assigned = (await handoff.Contact.AllHistory()).Last(h => h.Kind == HistoryKind.OwnerAssigned);
        Assert.Equal("", assigned.ActorUserId);
        Assert.Contains(c, assigned.Detail);
    }

    [Fact]
    public async Task An_owner_changed_event_older_than_the_last_assignment_does_not_undo_it()
    {
        var a = Scenarios.NewUserId("a");
        var b = Scenarios.NewUserId("b");
        var handoff = await fixture.RaiseHandoffAsync("acme", a);
        await handoff.Contact.AssignOwner(b, handoff.Card.CardId, "manager");

        var outcome = await fixture.IngestAsync(handoff.Contact, [handoff.Events.OwnerChanged(TimeSpan.FromHours(1), Scenarios.NewUserId("stale"))]);

        Assert.Equal(1, outcome.Accepted);
        Assert.Equal(b, (await handoff.Contact.Get()).OwnerUserId);
        Assert.False(Assert.Single(await fixture.Grains.UserInbox("acme", b).NotificationsAbout(handoff.ContactId)).Resolved);
    }
}
