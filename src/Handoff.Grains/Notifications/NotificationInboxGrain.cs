using Handoff.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Runtime;
using Orleans.Storage;
using Orleans.Utilities;

namespace Handoff.Grains.Notifications;

/// <summary>
/// An ordered, durable log of an inbox with live subscribers. Every entry takes the inbox's next sequence number: a
/// notification added, or a change to one (read, resolved, updated, reassigned), so that one number tells a subscriber
/// where it is. An entry is stored before any subscriber hears of it. Reentrant so that deliveries arriving together
/// share one write (<see cref="CoalescedWrites"/>): every method reads and changes the state without awaiting, and
/// awaits only the write.
/// </summary>
[Reentrant]
public sealed class NotificationInboxGrain(
    [PersistentState("inbox", StorageNames.Handoff)] IPersistentState<InboxState> store,
    [FromKeyedServices(StorageNames.Handoff)] IGrainStorage storage,
    IOptions<InboxOptions> options,
    TimeProvider time,
    ILogger<NotificationInboxGrain> logger) : Grain, INotificationInboxGrain
{
    private readonly ObserverManager<IInboxObserver> observers = new(options.Value.SubscriptionLifetime, logger);
    /// <summary>The kept notifications, oldest first.</summary>
    private readonly List<NotificationRecord> notifications = [];
    /// <summary>The kept changes, oldest first.</summary>
    private readonly List<NotificationChange> changes = [];
    private readonly List<long> pagesToDelete = [];
    private StateParts<InboxPage> pages = null!;
    private CoalescedWrites writes = null!;
    private long lastSequence;
    /// <summary>Entries up to here are stored: a subscriber is never sent one that a crash could give to another entry.</summary>
    private long durableThrough;
    /// <summary>The newest sequence number whose entry the inbox no longer keeps (0: none).</summary>
    private long trimmedThrough;
    private bool headChanged;

    private long PageSize => options.Value.PageSize;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        pages = new StateParts<InboxPage>(storage, "inbox-page", this.GetGrainId());
        writes = new CoalescedWrites(WriteChangesAsync);
        var head = store.State;
        lastSequence = head.LastSequence;
        // Every sequence number went to a notification or a change, and pages are written in sequence order: past the
        // head's last sequence, the first page missing is the end.
        for (var page = head.FirstPage; ; page++)
        {
            var stored = await pages.ReadAsync(page);
            if (stored is not null)
            {
                notifications.AddRange(stored.Notifications);
                changes.AddRange(stored.Changes);
            }
            else if (page > PageOf(Math.Max(head.LastSequence, 1)))
            {
                break;
            }
        }

        lastSequence = Math.Max(lastSequence, Math.Max(
            notifications.Count > 0 ? notifications[^1].Sequence : 0,
            changes.Count > 0 ? changes[^1].Sequence : 0));
        durableThrough = lastSequence;

        // Entries dropped from a page that was not written again since.
        Trim();
        trimmedThrough = NewestSequenceNotKept();
    }

    private long PageOf(long sequence) => (sequence - 1) / PageSize;

    /// <summary>
    /// Keeps the newest notifications and the newest changes; pages left with neither are deleted with the next write.
    /// </summary>
    private void Trim()
    {
        var droppedNotifications = TrimOldest(notifications, options.Value.MaxNotifications, n => n.Sequence);
        var droppedChanges = TrimOldest(changes, options.Value.MaxChanges, c => c.Sequence);
        if (!droppedNotifications && !droppedChanges)
        {
            return;
        }

        var oldestKept = Math.Min(
            notifications.Count > 0 ? notifications[0].Sequence : long.MaxValue,
            changes.Count > 0 ? changes[0].Sequence : long.MaxValue);
        // Nothing kept (both limits at 0): the pages before the last one go.
        var firstKept = PageOf(oldestKept == long.MaxValue ? lastSequence : oldestKept);
        for (var page = store.State.FirstPage; page < firstKept; page++)
        {
            pagesToDelete.Add(page);
        }

        if (firstKept != store.State.FirstPage)
        {
            store.State.FirstPage = firstKept;
            headChanged = true;
        }
    }

    /// <summary>Drops the oldest entries past <paramref name="keep"/>; true when it dropped any.</summary>
    private bool TrimOldest<T>(List<T> entries, int keep, Func<T, long> sequenceOf)
    {
        var excess = entries.Count - keep;
        if (excess <= 0)
        {
            return false;
        }

        trimmedThrough = Math.Max(trimmedThrough, sequenceOf(entries[excess - 1]));
        entries.RemoveRange(0, excess);
        return true;
    }

    /// <summary>
    /// Where the kept log begins, from what a new activation found: every sequence number was given to a notification
    /// or a change, so the newest one kept as neither is the newest no longer kept.
    /// </summary>
    private long NewestSequenceNotKept()
    {
        var sequence = lastSequence;
        int notification = notifications.Count - 1, change = changes.Count - 1;
        while (sequence > 0)
        {
            if (notification >= 0 && notifications[notification].Sequence == sequence)
            {
                notification--;
            }
            else if (change >= 0 && changes[change].Sequence == sequence)
            {
                change--;
            }
            else
            {
                break;
            }

            sequence--;
        }

        return sequence;
    }

    /// <summary>The index of the first entry after <paramref name="sequence"/> (Count when none): entries are in sequence order.</summary>
    private static int IndexAfter<T>(List<T> entries, long sequence, Func<T, long> sequenceOf)
    {
        int low = 0, high = entries.Count;
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (sequenceOf(entries[middle]) <= sequence)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    private static List<T> Between<T>(List<T> entries, long first, long last, Func<T, long> sequenceOf)
    {
        var start = IndexAfter(entries, first - 1, sequenceOf);
        return entries.GetRange(start, IndexAfter(entries, last, sequenceOf) - start);
    }

    private NotificationRecord? NotificationAt(long sequence)
    {
        var index = IndexAfter(notifications, sequence - 1, n => n.Sequence);
        return index < notifications.Count && notifications[index].Sequence == sequence ? notifications[index] : null;
    }

    private void Changed(NotificationRecord record) => pages.MarkChanged(PageOf(record.Sequence));

    /// <summary>Appends a change of <paramref name="notification"/> to the log.</summary>
    private NotificationChange Record(NotificationChangeKind kind, NotificationRecord notification, DateTimeOffset at)
    {
        var change = new NotificationChange { Sequence = ++lastSequence, Kind = kind, NotificationSequence = notification.Sequence, At = at };
        changes.Add(change);
        pages.MarkChanged(PageOf(change.Sequence));
        return change;
    }

    /// <summary>The kept notifications and changes whose sequence numbers fall on one page.</summary>
    private InboxPage PageContent(long page)
    {
        var first = page * PageSize + 1;
        var last = (page + 1) * PageSize;
        return new InboxPage
        {
            Notifications = Between(notifications, first, last, n => n.Sequence),
            Changes = Between(changes, first, last, c => c.Sequence),
        };
    }

    /// <summary>The changed pages, then the head when the oldest page moved on, then the pages no longer kept.</summary>
    private async Task WriteChangesAsync()
    {
        // Every entry numbered so far is on a page marked changed, by now or by a write that failed: this write stores it.
        var storing = lastSequence;
        await pages.WriteChangedAsync(PageContent);
        if (headChanged)
        {
            store.State.LastSequence = lastSequence;
            await store.WriteStateAsync();
            headChanged = false;
        }

        durableThrough = Math.Max(durableThrough, storing);
        while (pagesToDelete.Count > 0)
        {
            await pages.DeleteAsync(pagesToDelete[^1]);
            pagesToDelete.RemoveAt(pagesToDelete.Count - 1);
        }
    }

    private InboxEntry Entry(NotificationRecord added, int unreadCount) =>
        new() { Sequence = added.Sequence, Notification = added, UnreadCount = unreadCount };

    private InboxEntry Entry(NotificationChange change, int unreadCount) =>
        new() { Sequence = change.Sequence, Change = change, Notification = NotificationAt(change.NotificationSequence), UnreadCount = unreadCount };

    /// <summary>Tells the live subscribers about entries that are stored, with the notifications as they are now.</summary>
    private Task PublishAsync(Func<int, IReadOnlyList<InboxEntry>> entries)
    {
        if (observers.Count == 0)
        {
            return Task.CompletedTask;
        }

        var published = entries(UnreadCount());
        return observers.Notify(o => o.OnEntries(published));
    }

    async Task<NotificationRecord> INotificationInboxGrain.Deliver(NotificationNotice notice)
    {
        var index = notifications.FindLastIndex(n => n.Notice.DeliveryId == notice.DeliveryId);
        if (index >= 0)
        {
            var placed = notifications[index];
            if (placed.Resolved || placed.Notice.CardVersion >= notice.CardVersion)
            {
                // A redelivery after a crash, or a late one after the card moved on or was resolved: nothing to change.
                await writes.DurableAsync();
                return placed;
            }

            var updated = notifications[index] = placed with { Notice = notice };
            Changed(updated);
            var change = Record(NotificationChangeKind.Updated, updated, notice.At);
            Trim();
            await writes.WriteAsync();
            await PublishAsync(unread => [Entry(change, unread)]);
            return updated;
        }

        var added = new NotificationRecord { Sequence = ++lastSequence, Notice = notice };
        notifications.Add(added);
        Changed(added);
        Trim();
        await writes.WriteAsync();
        await PublishAsync(unread => [Entry(NotificationAt(added.Sequence) ?? added, unread)]);
        return added;
    }

    async Task INotificationInboxGrain.Resolve(string cardId, NotificationResolution resolution, DateTimeOffset at)
    {
        var kind = resolution == NotificationResolution.Reassigned ? NotificationChangeKind.Reassigned : NotificationChangeKind.Resolved;
        var recorded = new List<NotificationChange>();
        for (var i = 0; i < notifications.Count; i++)
        {
            if (notifications[i].Notice.CardId == cardId && !notifications[i].Resolved)
            {
                notifications[i] = notifications[i] with { Resolution = resolution, ResolvedAt = at };
                Changed(notifications[i]);
                recorded.Add(Record(kind, notifications[i], at));
            }
        }

        await StoreAndPublishAsync(recorded);
    }

    /// <summary>Stores the changes a call recorded and tells the subscribers; with none, waits for what is being stored.</summary>
    private async Task StoreAndPublishAsync(List<NotificationChange> recorded)
    {
        if (recorded.Count == 0)
        {
            await writes.DurableAsync();
            return;
        }

        Trim();
        await writes.WriteAsync();
        await PublishAsync(unread => recorded.Select(c => Entry(c, unread)).ToList());
    }

    Task<NotificationPage> INotificationInboxGrain.List(long beforeSequence, int pageSize, bool unreadOnly)
    {
        var page = new List<NotificationRecord>(pageSize);
        var next = 0L;
        for (var i = notifications.Count - 1; i >= 0; i--)
        {
            var n = notifications[i];
            if ((beforeSequence > 0 && n.Sequence >= beforeSequence) || (unreadOnly && n.Read))
            {
                continue;
            }

            if (page.Count == pageSize)
            {
                next = page[^1].Sequence;
                break;
            }

            page.Add(n);
        }

        return Task.FromResult(new NotificationPage(page, next, UnreadCount(), lastSequence));
    }

    Task<InboxLogPage> INotificationInboxGrain.ReadLog(long afterSequence, int max)
    {
        var unread = UnreadCount();
        var entries = new List<InboxEntry>();
        var notification = IndexAfter(notifications, afterSequence, n => n.Sequence);
        var change = IndexAfter(changes, afterSequence, c => c.Sequence);
        while (entries.Count < max)
        {
            var nextNotification = notification < notifications.Count ? notifications[notification].Sequence : long.MaxValue;
            var nextChange = change < changes.Count ? changes[change].Sequence : long.MaxValue;
            if (Math.Min(nextNotification, nextChange) > durableThrough)
            {
                break;
            }

            entries.Add(nextNotification < nextChange ? Entry(notifications[notification++], unread) : Entry(changes[change++], unread));
        }

        return Task.FromResult(new InboxLogPage(entries, lastSequence, trimmedThrough, unread));
    }

    async Task<int> INotificationInboxGrain.MarkRead(IReadOnlyList<long> sequences, long upToSequence)
    {
        var wanted = sequences.ToHashSet();
        var now = time.GetUtcNow();
        var recorded = new List<NotificationChange>();
        for (var i = 0; i < notifications.Count; i++)
        {
            var n = notifications[i];
            if (!n.Read && (n.Sequence <= upToSequence || wanted.Contains(n.Sequence)))
            {
                notifications[i] = n with { Read = true, ReadAt = now };
                Changed(notifications[i]);
                recorded.Add(Record(NotificationChangeKind.Read, notifications[i], now));
            }
        }

        var unread = UnreadCount();
        await StoreAndPublishAsync(recorded);
        return unread;
    }

    Task INotificationInboxGrain.Subscribe(IInboxObserver observer)
    {
        observers.Subscribe(observer, observer);
        return Task.CompletedTask;
    }

    Task INotificationInboxGrain.Unsubscribe(IInboxObserver observer)
    {
        observers.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    Task<int> INotificationInboxGrain.SubscriberCount() => Task.FromResult(observers.Count);

    private int UnreadCount() => notifications.Count(n => !n.Read);
}
