using Handoff.Domain.Model;
using Handoff.Grains.Notifications;
using Handoff.Grains.Tests.Support;

namespace Handoff.Grains.Tests.Notifications;

[Collection(GrainCollection.Name)]
public sealed class InboxTests(GrainClusterFixture fixture)
{
    private const string Tenant = "acme";

    private NotificationNotice Notice(int n, int version = 1) => Notices.About(n, fixture.Now, version);

    /// <summary>A new user's inbox holding notifications 1..<paramref name="count"/>.</summary>
    private async Task<INotificationInboxGrain> InboxWithAsync(int count)
    {
        var inbox = fixture.Grains.UserInbox(Tenant, Scenarios.NewUserId("reader"));
        for (var n = 1; n <= count; n++)
        {
            await inbox.Deliver(Notice(n));
        }

        return inbox;
    }

    [Fact]
    public async Task Sequences_count_from_one_without_gaps_and_a_redelivery_adds_nothing()
    {
        var inbox = await InboxWithAsync(4);

        var again = await inbox.Deliver(Notice(2));

        Assert.Equal(2, again.Sequence);
        var all = await inbox.AllNotifications();
        Assert.Equal([1L, 2, 3, 4], all.Select(n => n.Sequence));
        Assert.Equal(["card-1", "card-2", "card-3", "card-4"], all.Select(n => n.Notice.CardId));
        Assert.Equal(4, (await inbox.List(0, 10, false)).LastSequence);
    }

    [Fact]
    public async Task A_newer_card_version_updates_the_notification_in_place()
    {
        var inbox = await InboxWithAsync(2);

        var updated = await inbox.Deliver(Notice(1, version: 2));
        var late = await inbox.Deliver(Notice(1, version: 1));

        Assert.Equal((1L, 2), (updated.Sequence, updated.Notice.CardVersion));
        Assert.Equal(2, late.Notice.CardVersion);
        Assert.Equal([1L, 2], (await inbox.AllNotifications()).Select(n => n.Sequence));
        // The update is a change of its own in the log; the late delivery changed nothing, so it is not.
        var log = await inbox.ReadLog(0, 100);
        Assert.Equal([(1L, null), (2, null), (3, NotificationChangeKind.Updated)], log.Entries.Select(e => (e.Sequence, e.Change?.Kind)));
        Assert.Equal(3, log.LastSequence);
    }

    [Fact]
    public async Task List_pages_newest_first()
    {
        var inbox = await InboxWithAsync(5);

        var first = await inbox.List(0, 2, unreadOnly: false);
        var second = await inbox.List(first.NextBeforeSequence, 2, unreadOnly: false);
        var third = await inbox.List(second.NextBeforeSequence, 2, unreadOnly: false);

        Assert.Equal([5L, 4], first.Notifications.Select(n => n.Sequence));
        Assert.Equal(4, first.NextBeforeSequence);
        Assert.Equal([3L, 2], second.Notifications.Select(n => n.Sequence));
        Assert.Equal([1L], third.Notifications.Select(n => n.Sequence));
        Assert.Equal(0, third.NextBeforeSequence);
        Assert.Equal((5, 5L), (first.UnreadCount, first.LastSequence));
    }

    [Fact]
    public async Task A_last_page_that_is_exactly_full_says_there_is_no_more()
    {
        var inbox = await InboxWithAsync(4);

        var first = await inbox.List(0, 2, unreadOnly: false);
        var second = await inbox.List(first.NextBeforeSequence, 2, unreadOnly: false);

        Assert.Equal([2L, 1], second.Notifications.Select(n => n.Sequence));
        Assert.Equal(0, second.NextBeforeSequence);
    }

    [Fact]
    public async Task Mark_read_by_sequence_and_up_to_returns_the_unread_count()
    {
        var inbox = await InboxWithAsync(5);
        fixture.Clock.Advance(TimeSpan.FromMinutes(3));

        Assert.Equal(3, await inbox.MarkRead([2, 4], 0));
        Assert.Equal(3, await inbox.MarkRead([2, 4, 99], 0));

        var unread = await inbox.List(0, 10, unreadOnly: true);
        Assert.Equal([5L, 3, 1], unread.Notifications.Select(n => n.Sequence));
        Assert.Equal(3, unread.UnreadCount);
        var read = (await inbox.AllNotifications()).Where(n => n.Read).ToList();
        Assert.Equal([2L, 4], read.Select(n => n.Sequence));
        Assert.All(read, n => Assert.Equal(fixture.Now, n.ReadAt));

        Assert.Equal(1, await inbox.MarkRead([], 3));
        Assert.Equal([5L], (await inbox.List(0, 10, unreadOnly: true)).Notifications.Select(n => n.Sequence));
        Assert.Equal(0, await inbox.MarkRead([5], 0));
        Assert.Empty((await inbox.List(0, 10, unreadOnly: true)).Notifications);
        Assert.Equal(5, (await inbox.List(0, 10, unreadOnly: false)).Notifications.Count);
    }

    [Fact]
    public async Task Unread_only_pages_skip_read_notifications()
    {
        var inbox = await InboxWithAsync(6);
        await inbox.MarkRead([2, 5], 0);

        var first = await inbox.List(0, 2, unreadOnly: true);
        var second = await inbox.List(first.NextBeforeSequence, 2, unreadOnly: true);

        Assert.Equal([6L, 4], first.Notifications.Select(n => n.Sequence));
        Assert.Equal(4, first.NextBeforeSequence);
        Assert.Equal([3L, 1], second.Notifications.Select(n => n.Sequence));
        Assert.Equal(0, second.NextBeforeSequence);
    }

    [Fact]
    public async Task Read_log_returns_oldest_first_after_a_sequence()
    {
        var inbox = await InboxWithAsync(5);

        Assert.Equal([3L, 4, 5], (await inbox.ReadLog(2, 10)).Entries.Select(e => e.Sequence));
        Assert.Equal([3L, 4], (await inbox.ReadLog(2, 2)).Entries.Select(e => e.Sequence));
        Assert.Empty((await inbox.ReadLog(5, 10)).Entries);
        Assert.Empty((await inbox.ReadLog(long.MaxValue, 10)).Entries);
        var page = await inbox.ReadLog(0, 10);
        Assert.Equal((5L, 0L, 5), (page.LastSequence, page.OldestResumableAfter, page.UnreadCount));
        Assert.All(page.Entries, e => Assert.Equal((e.Sequence, (NotificationChange?)null), (e.Notification!.Sequence, e.Change)));
    }

    [Fact]
    public async Task Every_change_takes_the_next_sequence_number_and_the_log_holds_notifications_and_changes_in_order()
    {
        var inbox = await InboxWithAsync(3);
        fixture.Clock.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(2, await inbox.MarkRead([2], 0));
        await inbox.Resolve("card-1", NotificationResolution.CardResolved, fixture.Now);
        await inbox.Deliver(Notice(3, version: 2) with { At = fixture.Now });
        await inbox.Resolve("card-3", NotificationResolution.Reassigned, fixture.Now);
        var fourth = await inbox.Deliver(Notice(4));

        var log = await inbox.ReadLog(0, 100);
        Assert.Equal(
            [(1L, null, 1L), (2, null, 2), (3, null, 3), (4, NotificationChangeKind.Read, 2), (5, NotificationChangeKind.Resolved, 1),
             (6, NotificationChangeKind.Updated, 3), (7, NotificationChangeKind.Reassigned, 3), (8, null, 8)],
            log.Entries.Select(e => (e.Sequence, e.Change?.Kind, e.Change?.NotificationSequence ?? e.Notification!.Sequence)));
        Assert.Equal(8, fourth.Sequence);
        Assert.Equal((8L, 0L, 3), (log.LastSequence, log.OldestResumableAfter, log.UnreadCount));
        Assert.All(log.Entries, e => Assert.Equal(3, e.UnreadCount));
        Assert.All(log.Entries.Where(e => e.Change is not null), e => Assert.Equal(fixture.Now, e.Change!.At));

        // Each entry carries its notification as the inbox holds it now.
        var reassigned = log.Entries[6].Notification!;
        Assert.Equal((2, NotificationResolution.Reassigned), (reassigned.Notice.CardVersion, reassigned.Resolution));
        Assert.True(log.Entries[3].Notification!.Read);
        Assert.Equal(NotificationResolution.CardResolved, log.Entries[4].Notification!.Resolution);

        // A resumed reader gets the rest; the notifications keep their numbers for listing and marking read.
        Assert.Equal([6L, 7, 8], (await inbox.ReadLog(5, 100)).Entries.Select(e => e.Sequence));
        Assert.Equal([8L, 3, 2, 1], (await inbox.List(0, 10, unreadOnly: false)).Notifications.Select(n => n.Sequence));
        Assert.Equal(0, await inbox.MarkRead([], 8));
        Assert.Equal([(9L, 1L), (10, 3), (11, 8)], (await inbox.ReadLog(8, 100)).Entries.Select(e => (e.Sequence, e.Change!.NotificationSequence)));
    }

    [Fact]
    public async Task A_call_that_changes_nothing_adds_nothing_to_the_log()
    {
        var inbox = await InboxWithAsync(2);
        await inbox.MarkRead([1], 0);
        await inbox.Resolve("card-2", NotificationResolution.CardResolved, fixture.Now);
        var before = await inbox.ReadLog(0, 100);

        await inbox.MarkRead([1, 99], 0);
        await inbox.Resolve("card-2", NotificationResolution.Reassigned, fixture.Now);
        await inbox.Resolve("no-such-card", NotificationResolution.CardResolved, fixture.Now);
        await inbox.Deliver(Notice(1));
        await inbox.Deliver(Notice(2, version: 3));

        var after = await inbox.ReadLog(0, 100);
        Assert.Equal(4, after.LastSequence);
        Assert.Equal(before.Entries.Select(e => e.Sequence), after.Entries.Select(e => e.Sequence));
    }

    [Fact]
    public async Task Resolve_marks_the_cards_notifications_resolved_and_nothing_else()
    {
        var inbox = await InboxWithAsync(3);

        await inbox.Resolve("card-2", NotificationResolution.CardResolved, fixture.Now);
        await inbox.Resolve("card-2", NotificationResolution.Reassigned, fixture.Now.AddMinutes(1));

        var all = await inbox.AllNotifications();
        Assert.Equal([null, NotificationResolution.CardResolved, null], all.Select(n => n.Resolution));
        Assert.Equal(fixture.Now, all[1].ResolvedAt);

        // A late update for a card already resolved leaves the notification as it was.
        var late = await inbox.Deliver(Notice(2, version: 5));
        Assert.Equal((1, NotificationResolution.CardResolved), (late.Notice.CardVersion, late.Resolution));
    }
}
