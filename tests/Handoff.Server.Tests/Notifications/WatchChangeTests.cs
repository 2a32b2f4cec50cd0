using Grpc.Core;
using Grpc.Net.Client;
using Handoff.Protos.V1;
using Handoff.Server.Tests.Support;

namespace Handoff.Server.Tests.Notifications;

/// <summary>
/// An open watch hears what happens to the notifications it has (issue #11, item 4): read elsewhere, resolved with their
/// card, updated by a new reason, moved away by a reassignment; each as an entry of its own, in order with new
/// notifications, with the inbox's unread count, and resumable from the same cursor.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class WatchChangeTests(ServerFixture fixture)
{
    private static readonly InboxRef OwnInbox = new() { Kind = InboxKind.User };

    [Fact]
    public async Task Notifications_marked_read_by_another_client_reach_an_open_watch_with_the_unread_count()
    {
        var tenant = new TestTenant(fixture.Host);
        using var watch = Watch(tenant, "alice");
        await tenant.RaiseCardAsync("c-1", owner: "alice");
        await tenant.RaiseCardAsync("c-2", owner: "alice");
        Assert.Equal(1, (await watch.ResponseStream.NextNotificationAsync()).UnreadCount);
        Assert.Equal(2, (await watch.ResponseStream.NextNotificationAsync()).UnreadCount);

        // Alice's phone, on a connection of its own.
        using var phone = GrpcChannel.ForAddress(fixture.Host.GrpcAddress);
        var phoneInbox = new NotificationService.NotificationServiceClient(fixture.Host.Credentials.As(phone.CreateCallInvoker(), tenant.Id, "alice", "agent"));
        await phoneInbox.MarkNotificationsReadAsync(new MarkNotificationsReadRequest { TenantId = tenant.Id, Inbox = OwnInbox, Sequences = { 1 } });
        await phoneInbox.MarkNotificationsReadAsync(new MarkNotificationsReadRequest { TenantId = tenant.Id, Inbox = OwnInbox, UpToSequence = 3 });

        var (first, unreadAfterFirst) = await watch.ResponseStream.NextChangeAsync(NotificationChangeKind.Read);
        var (second, unreadAfterSecond) = await watch.ResponseStream.NextChangeAsync(NotificationChangeKind.Read);
        Assert.Equal((3L, 1L, 1), (first.Sequence, first.NotificationSequence, unreadAfterFirst));
        Assert.Equal((4L, 2L, 0), (second.Sequence, second.NotificationSequence, unreadAfterSecond));
        Assert.True(first.Notification.Read);
        Assert.Equal(("c-2", true), (second.Notification.ContactId, second.Notification.Read));
        Assert.NotNull(first.ChangeTime);
        var inbox = await tenant.ListNotificationsAsync(TestTenant.UserInbox("alice"));
        Assert.Equal((0, 4L), (inbox.UnreadCount, inbox.LastSequence));
    }

    [Fact]
    public async Task Resolving_the_card_reaches_an_open_watch()
    {
        var tenant = new TestTenant(fixture.Host);
        using var watch = Watch(tenant, "alice");
        var raised = await tenant.RaiseCardAsync("c-1", owner: "alice");
        var (notification, _) = await watch.ResponseStream.NextNotificationAsync();

        await Alice(tenant).Handoffs.ResumeAutomationAsync(new ResumeAutomationRequest { TenantId = tenant.Id, ContactId = "c-1", CardId = raised.Card.CardId });

        var (change, unread) = await watch.ResponseStream.NextChangeAsync(NotificationChangeKind.Resolved);
        Assert.Equal((2L, notification.Sequence, 1), (change.Sequence, change.NotificationSequence, unread));
        Assert.Equal((true, NotificationResolution.CardResolved), (change.Notification.Resolved, change.Notification.Resolution));
        Assert.Equal(change.ChangeTime, change.Notification.ResolveTime);
    }

    [Fact]
    public async Task A_new_reason_on_the_active_card_reaches_an_open_watch_as_an_update_of_its_notification()
    {
        var tenant = new TestTenant(fixture.Host);
        using var watch = Watch(tenant, "alice");
        await tenant.RaiseCardAsync("c-1", owner: "alice");
        var (notification, _) = await watch.ResponseStream.NextNotificationAsync();
        Assert.DoesNotContain(HandoffReason.NeedsHumanJudgement, notification.Reasons);

        await tenant.AddReasonAsync("c-1");

        var (change, unread) = await watch.ResponseStream.NextChangeAsync(NotificationChangeKind.Updated);
        Assert.Equal((2L, 1L, 1), (change.Sequence, change.NotificationSequence, unread));
        Assert.Equal((1L, notification.CardId, 2), (change.Notification.Sequence, change.Notification.CardId, change.Notification.CardVersion));
        Assert.Contains(HandoffReason.NeedsHumanJudgement, change.Notification.Reasons);
        var card = await tenant.GetContactAsync("c-1");
        Assert.Equal(card.Card.Summary, change.Notification.Summary);
    }

    [Fact]
    public async Task A_reassignment_tells_the_old_owners_watch_the_notification_moved_away_and_the_new_owners_watch_gets_it()
    {
        var tenant = new TestTenant(fixture.Host);
        using var alices = Watch(tenant, "alice");
        using var bobs = Watch(tenant, "bob");
        var raised = await tenant.RaiseCardAsync("c-1", owner: "alice");
        var (placed, _) = await alices.ResponseStream.NextNotificationAsync();

        await fixture.Host.As(tenant.Id, "manager", "admin").Contacts.AssignOwnerAsync(new AssignOwnerRequest
        {
            TenantId = tenant.Id, ContactId = "c-1", OwnerUserId = "bob", CardId = raised.Card.CardId,
        });

        var (movedAway, alicesUnread) = await alices.ResponseStream.NextChangeAsync(NotificationChangeKind.Reassigned);
        Assert.Equal((2L, placed.Sequence), (movedAway.Sequence, movedAway.NotificationSequence));
        Assert.Equal((true, NotificationResolution.Reassigned), (movedAway.Notification.Resolved, movedAway.Notification.Resolution));
        Assert.Equal((await tenant.ListNotificationsAsync(TestTenant.UserInbox("alice"))).UnreadCount, alicesUnread);
        var (arrived, bobsUnread) = await bobs.ResponseStream.NextNotificationAsync();
        Assert.Equal((1L, "c-1", raised.Card.CardId, false, 1), (arrived.Sequence, arrived.ContactId, arrived.CardId, arrived.Resolved, bobsUnread));
    }

    [Fact]
    public async Task A_watch_resumed_from_the_middle_of_the_changes_gets_the_rest_in_order_then_live_ones()
    {
        var tenant = new TestTenant(fixture.Host);
        var recorded = new List<WatchNotificationsResponse>();
        RaisedCard first, second;
        using (var recorder = Watch(tenant, "alice"))
        {
            first = await tenant.RaiseCardAsync("c-1", owner: "alice");
            recorded.Add(await recorder.ResponseStream.NextEntryAsync());
            second = await tenant.RaiseCardAsync("c-2", owner: "alice");
            recorded.Add(await recorder.ResponseStream.NextEntryAsync());
            await tenant.AddReasonAsync("c-2");
            recorded.Add(await recorder.ResponseStream.NextEntryAsync());
            await MarkReadAsync(tenant, upTo: 2);
            recorded.Add(await recorder.ResponseStream.NextEntryAsync());
            recorded.Add(await recorder.ResponseStream.NextEntryAsync());
            await tenant.ResumeAsync(first);
            recorded.Add(await recorder.ResponseStream.NextEntryAsync());
        }

        Assert.Equal(["#1 new", "#2 new", "#3 Updated of #2", "#4 Read of #1", "#5 Read of #2", "#6 Resolved of #1"], recorded.Select(e => e.Describe()));

        // The subscriber went away after the update; it comes back with that change's sequence.
        using var resumed = Watch(tenant, "alice", afterSequence: 3);
        var rest = new List<WatchNotificationsResponse>();
        for (var i = 0; i < 3; i++)
        {
            rest.Add(await resumed.ResponseStream.NextEntryAsync());
        }

        Assert.Equal(recorded.Skip(3).Select(e => e.Describe()), rest.Select(e => e.Describe()));
        Assert.All(rest, e => Assert.Equal(0, e.UnreadCount));

        await tenant.ResumeAsync(second);
        var (live, unread) = await resumed.ResponseStream.NextChangeAsync(NotificationChangeKind.Resolved);
        Assert.Equal((7L, 2L, 0), (live.Sequence, live.NotificationSequence, unread));
    }

    /// <summary>A watch of <paramref name="user"/>'s own inbox, as that user (an agent).</summary>
    private AsyncServerStreamingCall<WatchNotificationsResponse> Watch(TestTenant tenant, string user, long afterSequence = 0) =>
        fixture.Host.As(tenant.Id, user, "agent").Notifications.WatchNotifications(
            new WatchNotificationsRequest { TenantId = tenant.Id, Inbox = OwnInbox, AfterSequence = afterSequence });

    private HostClients Alice(TestTenant tenant) => fixture.Host.As(tenant.Id, "alice", "agent");

    private async Task MarkReadAsync(TestTenant tenant, long upTo) =>
        await Alice(tenant).Notifications.MarkNotificationsReadAsync(new MarkNotificationsReadRequest { TenantId = tenant.Id, Inbox = OwnInbox, UpToSequence = upTo });
}
