using Grpc.Core;
using Handoff.Protos.V1;
using Handoff.Server.Tests.Support;

namespace Handoff.Server.Tests.Services;

/// <summary>
/// Inboxes over gRPC: the watch stream (backlog after a sequence, then live, no gap, no duplicate), several subscribers,
/// read state, paging, the unassigned inbox. Notifications come from real cards raised by ingesting a rising buyer.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class NotificationTests(ServerFixture fixture)
{
    private static readonly InboxRef Alice = TestTenant.UserInbox("alice");

    private NotificationService.NotificationServiceClient Notifications => fixture.Host.Notifications;

    [Fact]
    public async Task A_watch_delivers_the_backlog_after_its_sequence_then_live_notifications_in_order_without_duplicates()
    {
        var tenant = new TestTenant(fixture.Host);
        foreach (var contact in new[] { "c-1", "c-2", "c-3" })
        {
            await tenant.RaiseCardAsync(contact, owner: "alice");
        }

        Assert.Equal(3, (await tenant.ListNotificationsAsync(Alice)).LastSequence);

        using var watch = Watch(tenant, Alice, afterSequence: 1);

        // Backlog: exactly what came after 1.
        var backlog = new[] { await NextAsync(watch), await NextAsync(watch) };
        Assert.Equal([2L, 3L], backlog.Select(n => n.Sequence));
        Assert.Equal(["c-2", "c-3"], backlog.Select(n => n.ContactId));

        // Live: the watch is subscribed (it subscribes before it reads the backlog), so these arrive as they happen.
        var c4 = await tenant.RaiseCardAsync("c-4", owner: "alice");
        var live4 = await NextAsync(watch);
        var c5 = await tenant.RaiseCardAsync("c-5", owner: "alice");
        var live5 = await NextAsync(watch);

        Assert.Equal((4L, "c-4", c4.Card.CardId), (live4.Sequence, live4.ContactId, live4.CardId));
        Assert.Equal((5L, "c-5", c5.Card.CardId), (live5.Sequence, live5.ContactId, live5.CardId));
        Assert.Equal(NotificationKind.Handoff, live4.Kind);
        Assert.Equal(NotificationPriority.High, live4.Priority);
        Assert.False(live4.Read);
        Assert.False(live4.Resolved);
        Assert.NotEmpty(live4.Reasons);
        Assert.Equal(c4.Card.Summary, live4.Summary);
    }

    [Fact]
    public async Task A_burst_of_cards_raised_at_once_reaches_a_watch_without_gap_or_duplicate()
    {
        var tenant = new TestTenant(fixture.Host);
        await tenant.RaiseCardAsync("c-0", owner: "alice");
        using var watch = Watch(tenant, Alice, afterSequence: 0);
        Assert.Equal(1, (await NextAsync(watch)).Sequence);

        await Task.WhenAll(Enumerable.Range(1, 8).Select(i => tenant.RaiseCardAsync($"c-{i}", owner: "alice")));

        var burst = new List<Notification>();
        for (var i = 0; i < 8; i++)
        {
            burst.Add(await NextAsync(watch));
        }

        Assert.Equal(Enumerable.Range(2, 8).Select(i => (long)i), burst.Select(n => n.Sequence));
        Assert.Equal(8, burst.Select(n => n.ContactId).Distinct().Count());
        await tenant.RaiseCardAsync("c-last", owner: "alice");
        var next = await NextAsync(watch);
        Assert.Equal((10L, "c-last"), (next.Sequence, next.ContactId));
    }

    [Fact]
    public async Task A_watch_from_the_last_sequence_gets_only_what_comes_next()
    {
        var tenant = new TestTenant(fixture.Host);
        await tenant.RaiseCardAsync("c-1", owner: "alice");
        await tenant.RaiseCardAsync("c-2", owner: "alice");
        var last = (await tenant.ListNotificationsAsync(Alice)).LastSequence;

        using var watch = Watch(tenant, Alice, afterSequence: last);
        await tenant.RaiseCardAsync("c-3", owner: "alice");

        var next = await NextAsync(watch);
        Assert.Equal(last + 1, next.Sequence);
        Assert.Equal("c-3", next.ContactId);
    }

    [Fact]
    public async Task Two_subscribers_of_the_same_inbox_both_get_the_live_notification()
    {
        var tenant = new TestTenant(fixture.Host);
        await tenant.RaiseCardAsync("c-1", owner: "alice");
        using var first = Watch(tenant, Alice, afterSequence: 0);
        using var second = Watch(tenant, Alice, afterSequence: 0);
        Assert.Equal(1, (await NextAsync(first)).Sequence);
        Assert.Equal(1, (await NextAsync(second)).Sequence);

        var raised = await tenant.RaiseCardAsync("c-2", owner: "alice");

        var toFirst = await NextAsync(first);
        var toSecond = await NextAsync(second);
        Assert.Equal((2L, raised.Card.CardId), (toFirst.Sequence, toFirst.CardId));
        Assert.Equal(toFirst, toSecond);
    }

    [Fact]
    public async Task A_watch_hears_only_its_own_inbox()
    {
        var tenant = new TestTenant(fixture.Host);
        using var bobs = Watch(tenant, TestTenant.UserInbox("bob"), afterSequence: 0);
        using var alices = Watch(tenant, Alice, afterSequence: 0);

        await tenant.RaiseCardAsync("for-alice", owner: "alice");
        await tenant.RaiseCardAsync("for-bob", owner: "bob");

        Assert.Equal("for-bob", (await NextAsync(bobs)).ContactId);
        Assert.Equal("for-alice", (await NextAsync(alices)).ContactId);
        Assert.Equal(1, (await tenant.ListNotificationsAsync(TestTenant.UserInbox("bob"))).LastSequence);
    }

    [Fact]
    public async Task Disposing_a_watch_ends_it_cleanly_and_a_new_watch_still_works()
    {
        var tenant = new TestTenant(fixture.Host);
        await tenant.RaiseCardAsync("c-1", owner: "alice");

        var first = Watch(tenant, Alice, afterSequence: 0);
        Assert.Equal(1, (await NextAsync(first)).Sequence);
        var waiting = first.ResponseStream.MoveNext(CancellationToken.None);
        first.Dispose();
        // The pending read is released at once and the call ends as cancelled, not with an error from the server.
        var ended = await Assert.ThrowsAsync<RpcException>(() => waiting.WaitAsync(Streams.Patience));
        Assert.Equal(StatusCode.Cancelled, ended.StatusCode);
        Assert.Equal(StatusCode.Cancelled, first.GetStatus().StatusCode);

        // The inbox still delivers with the old subscriber gone, and a new watch picks up where the first one stopped.
        await tenant.RaiseCardAsync("c-2", owner: "alice");
        using var second = Watch(tenant, Alice, afterSequence: 1);
        Assert.Equal(2, (await NextAsync(second)).Sequence);
        await tenant.RaiseCardAsync("c-3", owner: "alice");
        Assert.Equal(3, (await NextAsync(second)).Sequence);
    }

    [Fact]
    public async Task Cancelling_a_watch_through_its_token_ends_it_with_CANCELLED()
    {
        var tenant = new TestTenant(fixture.Host);
        await tenant.RaiseCardAsync("c-1", owner: "alice");
        using var cancel = new CancellationTokenSource();
        using var watch = Notifications.WatchNotifications(
            new WatchNotificationsRequest { TenantId = tenant.Id, Inbox = Alice }, cancellationToken: cancel.Token);
        Assert.Equal(1, (await NextAsync(watch)).Sequence);

        var waiting = watch.ResponseStream.MoveNext(CancellationToken.None);
        await cancel.CancelAsync();

        var e = await Assert.ThrowsAsync<RpcException>(() => waiting);
        Assert.Equal(StatusCode.Cancelled, e.StatusCode);
        using var again = Watch(tenant, Alice, afterSequence: 0);
        Assert.Equal(1, (await NextAsync(again)).Sequence);
    }

    [Fact]
    public async Task MarkNotificationsRead_by_sequences_and_up_to_a_sequence_updates_the_unread_count()
    {
        var tenant = new TestTenant(fixture.Host);
        foreach (var contact in new[] { "c-1", "c-2", "c-3", "c-4" })
        {
            await tenant.RaiseCardAsync(contact, owner: "alice");
        }

        Assert.Equal(4, (await tenant.ListNotificationsAsync(Alice)).UnreadCount);

        Assert.Equal(3, (await MarkReadAsync(tenant, sequences: [2])).UnreadCount);
        Assert.Equal(3, (await MarkReadAsync(tenant, sequences: [2])).UnreadCount);
        Assert.Equal(1, (await MarkReadAsync(tenant, upTo: 3)).UnreadCount);

        var inbox = await tenant.ListNotificationsAsync(Alice);
        Assert.Equal(1, inbox.UnreadCount);
        Assert.Equal([(4L, false), (3L, true), (2L, true), (1L, true)], inbox.Notifications.Select(n => (n.Sequence, n.Read)));

        Assert.Equal(0, (await MarkReadAsync(tenant, sequences: [4], upTo: 1)).UnreadCount);
        Assert.Equal(0, (await tenant.ListNotificationsAsync(Alice)).UnreadCount);
    }

    [Fact]
    public async Task ListNotifications_pages_newest_first_with_page_tokens_and_filters_unread()
    {
        var tenant = new TestTenant(fixture.Host);
        foreach (var contact in new[] { "c-1", "c-2", "c-3", "c-4", "c-5" })
        {
            await tenant.RaiseCardAsync(contact, owner: "alice");
        }

        var pages = await ReadAllPagesAsync(tenant, pageSize: 2, unreadOnly: false);
        Assert.Equal([[5L, 4L], [3L, 2L], [1L]], pages.Select(p => p.Notifications.Select(n => n.Sequence).ToArray()));
        Assert.All(pages, p => Assert.Equal(5, p.LastSequence));
        Assert.All(pages, p => Assert.Equal(5, p.UnreadCount));
        Assert.Equal(["c-5", "c-4", "c-3", "c-2", "c-1"], pages.SelectMany(p => p.Notifications).Select(n => n.ContactId));

        await MarkReadAsync(tenant, sequences: [4, 2]);
        var unread = await ReadAllPagesAsync(tenant, pageSize: 2, unreadOnly: true);
        Assert.Equal([[5L, 3L], [1L]], unread.Select(p => p.Notifications.Select(n => n.Sequence).ToArray()));
        Assert.All(unread, p => Assert.Equal(3, p.UnreadCount));

        // 0 means the default page size: everything fits.
        Assert.Equal(5, (await tenant.ListNotificationsAsync(Alice)).Notifications.Count);
    }

    [Fact]
    public async Task An_empty_inbox_lists_nothing()
    {
        var tenant = new TestTenant(fixture.Host);

        var inbox = await tenant.ListNotificationsAsync(TestTenant.UserInbox("nobody-yet"));

        Assert.Empty(inbox.Notifications);
        Assert.Equal("", inbox.NextPageToken);
        Assert.Equal((0, 0L), (inbox.UnreadCount, inbox.LastSequence));
    }

    [Fact]
    public async Task A_card_on_a_contact_without_owner_notifies_the_unassigned_inbox()
    {
        var tenant = new TestTenant(fixture.Host);
        using var watch = Watch(tenant, TestTenant.UnassignedInbox, afterSequence: 0);

        var raised = await tenant.RaiseCardAsync("orphan", owner: "");

        var live = await NextAsync(watch);
        Assert.Equal(("orphan", raised.Card.CardId, NotificationPriority.High), (live.ContactId, live.CardId, live.Priority));
        var unassigned = await tenant.ListNotificationsAsync(TestTenant.UnassignedInbox);
        Assert.Equal(live.Sequence, Assert.Single(unassigned.Notifications).Sequence);
        Assert.Empty((await tenant.ListNotificationsAsync(Alice)).Notifications);
        Assert.Empty((await tenant.ListNotificationsAsync(new InboxRef { Kind = InboxKind.Team })).Notifications);
    }

    private AsyncServerStreamingCall<WatchNotificationsResponse> Watch(TestTenant tenant, InboxRef inbox, long afterSequence) =>
        Notifications.WatchNotifications(new WatchNotificationsRequest { TenantId = tenant.Id, Inbox = inbox, AfterSequence = afterSequence });

    private static async Task<Notification> NextAsync(AsyncServerStreamingCall<WatchNotificationsResponse> watch) =>
        (await watch.ResponseStream.NextAsync()).Notification;

    private async Task<MarkNotificationsReadResponse> MarkReadAsync(TestTenant tenant, long[]? sequences = null, long upTo = 0) =>
        await Notifications.MarkNotificationsReadAsync(new MarkNotificationsReadRequest
        {
            TenantId = tenant.Id, Inbox = Alice, Sequences = { sequences ?? [] }, UpToSequence = upTo,
        });

    private static async Task<List<ListNotificationsResponse>> ReadAllPagesAsync(TestTenant tenant, int pageSize, bool unreadOnly)
    {
        var pages = new List<ListNotificationsResponse>();
        var token = "";
        do
        {
            var page = await tenant.ListNotificationsAsync(Alice, pageSize, token, unreadOnly);
            pages.Add(page);
            token = page.NextPageToken;
            Assert.True(pages.Count <= 10, "The page tokens never end.");
        }
        while (token.Length > 0);

        return pages;
    }
}
