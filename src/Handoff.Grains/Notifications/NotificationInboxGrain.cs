using Orleans.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Storage;
using Orleans.Utilities;
using Microsoft.Extensions.DependencyInjection;
using Handoff.Grains.Storage;

namespace Handoff.Grains.Notifications;

/// <summary>
/// An ordered, durable log of notifications with live subscribers. A notification is stored before any subscriber hears
/// of it. Reentrant so that deliveries arriving together share one write (<see cref="CoalescedWrites"/>): every method
/// reads and changes the state without awaiting, and awaits only the write.
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
    /// <summary>The kept notifications, oldest first; sequence numbers are contiguous from the oldest.</summary>
    private readonly List<NotificationRecord> log = [];
    private readonly List<long> pagesToDelete = [];
    private StateParts<InboxPage> pages = null!;
    private CoalescedWrites writes = null!;
    private long lastSequence;
    private bool headChanged;

    private long PageSize => options.Value.PageSize;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        pages = new StateParts<InboxPage>(storage, "inbox-page", this.GetGrainId());
        writes = new CoalescedWrites(WriteChangesAsync);
        var head = store.State;
        lastSequence = head.LastSequence;
        if (head.LegacyNotifications.Count > 0)
        {
            log.AddRange(head.LegacyNotifications);
            head.LegacyNotifications = [];
            head.FirstPage = PageOf(log[0].Sequence);
            foreach (var page in log.Select(n => PageOf(n.Sequence)).Distinct())
            {
                pages.MarkChanged(page);
            }

            headChanged = true;
            await writes.WriteAsync();
        }
        else
        {
            // Pages are written in sequence order: past the head's last sequence, the first page missing is the end.
            for (var page = head.FirstPage; ; page++)
            {
                var stored = await pages.ReadAsync(page);
                if (stored is not null)
                {
                    log.AddRange(stored.Notifications);
                }
                else if (page > PageOf(Math.Max(head.LastSequence, 1)))
                {
                    break;
                }
            }
        }

        if (log.Count > 0)
        {
            lastSequence = Math.Max(lastSequence, log[^1].Sequence);
        }

        // Notifications dropped from a page that was not written again since.
        Trim();
    }

    private long PageOf(long sequence) => (sequence - 1) / PageSize;

    /// <summary>Keeps the newest notifications; pages left with none are deleted with the next write.</summary>
    private void Trim()
    {
        var excess = log.Count - options.Value.MaxNotifications;
        if (excess <= 0)
        {
            return;
        }

        log.RemoveRange(0, excess);
        var firstKept = PageOf(log[0].Sequence);
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

    private void Changed(NotificationRecord record) => pages.MarkChanged(PageOf(record.Sequence));

    /// <summary>The kept notifications of one page: a slice of the log, whose sequence numbers are contiguous.</summary>
    private List<NotificationRecord> NotificationsOn(long page)
    {
        if (log.Count == 0)
        {
            return [];
        }

        var first = Math.Max(page * PageSize + 1, log[0].Sequence);
        var last = Math.Min((page + 1) * PageSize, log[^1].Sequence);
        return first > last ? [] : log.GetRange((int)(first - log[0].Sequence), (int)(last - first + 1));
    }

    /// <summary>The changed pages, then the head when the oldest page moved on, then the pages no longer kept.</summary>
    private async Task WriteChangesAsync()
    {
        await pages.WriteChangedAsync(page => new InboxPage { Notifications = NotificationsOn(page) });
        if (headChanged)
        {
            store.State.LastSequence = lastSequence;
            await store.WriteStateAsync();
            headChanged = false;
        }

        while (pagesToDelete.Count > 0)
        {
            await pages.DeleteAsync(pagesToDelete[^1]);
            pagesToDelete.RemoveAt(pagesToDelete.Count - 1);
        }
    }

    async Task<NotificationRecord> INotificationInboxGrain.Deliver(NotificationNotice notice)
    {
        var index = log.FindLastIndex(n => n.Notice.DeliveryId == notice.DeliveryId);
        if (index >= 0)
        {
            var placed = log[index];
            if (placed.Resolved || placed.Notice.CardVersion >= notice.CardVersion)
            {
                // A redelivery after a crash, or a late one after the card moved on or was resolved: nothing to change.
                await writes.DurableAsync();
                return placed;
            }

            var updated = log[index] = placed with { Notice = notice };
            Changed(updated);
            await writes.WriteAsync();
            return updated;
        }

        var added = new NotificationRecord { Sequence = ++lastSequence, Notice = notice };
        log.Add(added);
        Changed(added);
        Trim();
        await writes.WriteAsync();
        await observers.Notify(o => o.OnNotification(added));
        return added;
    }

    async Task INotificationInboxGrain.Resolve(string cardId, NotificationResolution resolution, DateTimeOffset at)
    {
        var changed = false;
        for (var i = 0; i < log.Count; i++)
        {
            if (log[i].Notice.CardId == cardId && !log[i].Resolved)
            {
                log[i] = log[i] with { Resolution = resolution, ResolvedAt = at };
                Changed(log[i]);
                changed = true;
            }
        }

        await (changed ? writes.WriteAsync() : writes.DurableAsync());
    }

    Task<NotificationPage> INotificationInboxGrain.List(long beforeSequence, int pageSize, bool unreadOnly)
    {
        var page = new List<NotificationRecord>(pageSize);
        var next = 0L;
        for (var i = log.Count - 1; i >= 0; i--)
        {
            var n = log[i];
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

    Task<IReadOnlyList<NotificationRecord>> INotificationInboxGrain.ReadAfter(long afterSequence, int max)
    {
        IReadOnlyList<NotificationRecord> after = log.Where(n => n.Sequence > afterSequence).Take(max).ToList();
        return Task.FromResult(after);
    }

    async Task<int> INotificationInboxGrain.MarkRead(IReadOnlyList<long> sequences, long upToSequence)
    {
        var wanted = sequences.ToHashSet();
        var now = time.GetUtcNow();
        var changed = false;
        for (var i = 0; i < log.Count; i++)
        {
            var n = log[i];
            if (!n.Read && (n.Sequence <= upToSequence || wanted.Contains(n.Sequence)))
            {
                log[i] = n with { Read = true, ReadAt = now };
                Changed(log[i]);
                changed = true;
            }
        }

        var unread = UnreadCount();
        await (changed ? writes.WriteAsync() : writes.DurableAsync());
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

    private int UnreadCount() => log.Count(n => !n.Read);
}
