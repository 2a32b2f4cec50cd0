using Handoff.Domain.Model;
using Handoff.Grains.Notifications;

namespace Handoff.Grains.Tests.Notifications;

/// <summary>
/// The inbox's log without a cluster: one sequence number per entry, redeliveries that change nothing, the bounds of
/// what is kept, and reads that never run ahead of what is stored.
/// </summary>
public sealed class InboxLogTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private readonly List<long> changedPages = [];

    private InboxLog NewLog(int maxNotifications = 100, int maxChanges = 100, int pageSize = 4) =>
        new(new InboxOptions { MaxNotifications = maxNotifications, MaxChanges = maxChanges }, pageSize, changedPages.Add);

    private static NotificationNotice Notice(string cardId, int version = 1) => new()
    {
        DeliveryId = $"{cardId}:owner",
        Kind = NotificationKind.Handoff,
        Priority = NotificationPriority.High,
        ContactId = $"contact-of-{cardId}",
        ContactDisplayName = "Brandon Lee",
        CardId = cardId,
        CardVersion = version,
        Title = "SI Human Handoff: Brandon Lee needs you now",
        Summary = "Brandon asked for a call.",
        Reasons = [HandoffReason.BuyingSignals],
        At = Start.AddMinutes(version),
    };

    [Fact]
    public void Every_notification_and_every_change_takes_the_next_sequence_number_and_marks_its_page()
    {
        var log = NewLog();

        var first = log.Deliver(Notice("card-1"));
        var second = log.Deliver(Notice("card-2"));
        var read = log.MarkRead([first.Notification.Sequence], upToSequence: 0, Start.AddHours(1));
        var resolved = log.Resolve("card-2", NotificationResolution.CardResolved, Start.AddHours(2));

        Assert.Equal((1, 2), (first.Notification.Sequence, second.Notification.Sequence));
        Assert.Equal([3L], read.Select(c => c.Sequence));
        Assert.Equal([4L], resolved.Select(c => c.Sequence));
        Assert.Equal(4, log.LastSequence);
        Assert.Equal([0L, 0L, 0L, 0L, 0L, 0L], changedPages); // two adds, read (entry + change), resolve (entry + change)
        Assert.Equal(1, log.UnreadCount()); // resolved is not read
    }

    [Fact]
    public void A_redelivery_changes_nothing_and_a_newer_card_version_updates_the_notification_it_named()
    {
        var log = NewLog();
        var added = log.Deliver(Notice("card-1"));

        var again = log.Deliver(Notice("card-1"));
        var updated = log.Deliver(Notice("card-1", version: 2));

        Assert.True(added.Added);
        Assert.False(again.ChangedAnything);
        Assert.Equal(added.Notification, again.Notification);
        Assert.False(updated.Added);
        Assert.Equal((NotificationChangeKind.Updated, 2L, 1L), (updated.Update!.Kind, updated.Update.Sequence, updated.Update.NotificationSequence));
        Assert.Equal((1L, 2), (updated.Notification.Sequence, updated.Notification.Notice.CardVersion));
    }

    [Fact]
    public void A_late_version_of_a_resolved_card_changes_nothing()
    {
        var log = NewLog();
        log.Deliver(Notice("card-1"));
        log.Resolve("card-1", NotificationResolution.CardResolved, Start.AddHours(1));

        var late = log.Deliver(Notice("card-1", version: 3));

        Assert.False(late.ChangedAnything);
        Assert.Equal(2, log.LastSequence);
    }

    [Fact]
    public void Trimming_keeps_the_newest_entries_and_names_the_first_page_still_needed()
    {
        var log = NewLog(maxNotifications: 2, maxChanges: 100, pageSize: 2);
        for (var card = 1; card <= 5; card++)
        {
            log.Deliver(Notice($"card-{card}"));
        }

        Assert.Equal(1, log.Trim()); // notifications 4 and 5 are kept: page 1 (sequences 3 and 4) is the first one needed
        Assert.Null(log.Trim());
        Assert.Equal(3, log.TrimmedThrough);
        var listed = log.List(beforeSequence: 0, pageSize: 10, unreadOnly: false);
        Assert.Equal([5L, 4L], listed.Notifications.Select(n => n.Sequence));
    }

    [Fact]
    public void After_trimming_a_kept_notification_is_still_updated_in_place_and_a_dropped_one_comes_back_as_new()
    {
        var log = NewLog(maxNotifications: 2, maxChanges: 100, pageSize: 2);
        for (var card = 1; card <= 4; card++)
        {
            log.Deliver(Notice($"card-{card}"));
        }

        log.Trim();
        var kept = log.Deliver(Notice("card-3", version: 2));
        var dropped = log.Deliver(Notice("card-1", version: 2));

        Assert.Equal((false, 3L), (kept.Added, kept.Notification.Sequence));
        Assert.Equal((true, 6L), (dropped.Added, dropped.Notification.Sequence));
    }

    [Fact]
    public void A_notification_loaded_from_its_page_is_the_one_a_later_version_updates()
    {
        var before = NewLog(pageSize: 2);
        before.Deliver(Notice("card-1"));
        before.Deliver(Notice("card-2"));
        var after = NewLog(pageSize: 2);
        after.Load(before.PageContent(0));
        after.Loaded(storedLastSequence: 2);

        var again = after.Deliver(Notice("card-2"));
        var updated = after.Deliver(Notice("card-2", version: 2));

        Assert.False(again.ChangedAnything);
        Assert.Equal((false, 2L, 2), (updated.Added, updated.Notification.Sequence, updated.Notification.Notice.CardVersion));
    }

    [Fact]
    public void A_read_returns_stored_entries_in_sequence_order_and_stops_at_what_is_not_stored_yet()
    {
        var log = NewLog();
        log.Deliver(Notice("card-1"));
        log.Deliver(Notice("card-2"));
        log.MarkRead([], upToSequence: 1, Start.AddHours(1));

        var stored = log.Read(afterSequence: 0, max: 10, durableThrough: 2);
        var all = log.Read(afterSequence: 1, max: 10, durableThrough: 3);

        Assert.Equal([1L, 2L], stored.Entries.Select(e => e.Sequence));
        Assert.True(stored.Entries[0].Notification!.Read); // as it is now, not as it was added
        Assert.Equal([2L, 3L], all.Entries.Select(e => e.Sequence));
        Assert.Equal(NotificationChangeKind.Read, all.Entries[1].Change!.Kind);
        Assert.Equal((3L, 1), (all.LastSequence, all.UnreadCount));
    }

    [Fact]
    public void Loaded_from_its_pages_it_continues_the_numbers_and_knows_where_the_kept_log_begins()
    {
        var before = NewLog(maxNotifications: 100, maxChanges: 100, pageSize: 2);
        for (var card = 1; card <= 4; card++)
        {
            before.Deliver(Notice($"card-{card}"));
        }

        // Page 0 (sequences 1 and 2) is gone: a new activation finds pages 1 on.
        var after = NewLog(pageSize: 2);
        after.Load(before.PageContent(1));
        after.Loaded(storedLastSequence: 0);
        after.FindTrimmedThrough();

        Assert.Equal((4L, 2L), (after.LastSequence, after.TrimmedThrough));
        Assert.Equal(5, after.Deliver(Notice("card-5")).Notification.Sequence);
    }
}
