using Orleans.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Utilities;
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
    IOptions<InboxOptions> options,
    TimeProvider time,
    ILogger<NotificationInboxGrain> logger) : Grain, INotificationInboxGrain
{
    private readonly ObserverManager<IInboxObserver> observers = new(options.Value.SubscriptionLifetime, logger);
    private readonly CoalescedWrites writes = new(store.WriteStateAsync);

    private List<NotificationRecord> Log => store.State.Notifications;

    async Task<NotificationRecord> INotificationInboxGrain.Deliver(NotificationNotice notice)
    {
        var index = Log.FindLastIndex(n => n.Notice.DeliveryId == notice.DeliveryId);
        if (index >= 0)
        {
            var placed = Log[index];
            if (placed.Resolved || placed.Notice.CardVersion >= notice.CardVersion)
            {
                // A redelivery after a crash, or a late one after the card moved on or was resolved: nothing to change.
                await writes.DurableAsync();
                return placed;
            }

            var updated = Log[index] = placed with { Notice = notice };
            await writes.WriteAsync();
            return updated;
        }

        var added = new NotificationRecord { Sequence = store.State.LastSequence + 1, Notice = notice };
        Log.Add(added);
        store.State.LastSequence = added.Sequence;
        var excess = Log.Count - options.Value.MaxNotifications;
        if (excess > 0)
        {
            Log.RemoveRange(0, excess);
        }

        await writes.WriteAsync();
        await observers.Notify(o => o.OnNotification(added));
        return added;
    }

    async Task INotificationInboxGrain.Resolve(string cardId, NotificationResolution resolution, DateTimeOffset at)
    {
        var changed = false;
        for (var i = 0; i < Log.Count; i++)
        {
            if (Log[i].Notice.CardId == cardId && !Log[i].Resolved)
            {
                Log[i] = Log[i] with { Resolution = resolution, ResolvedAt = at };
                changed = true;
            }
        }

        await (changed ? writes.WriteAsync() : writes.DurableAsync());
    }

    Task<NotificationPage> INotificationInboxGrain.List(long beforeSequence, int pageSize, bool unreadOnly)
    {
        var page = new List<NotificationRecord>(pageSize);
        var next = 0L;
        for (var i = Log.Count - 1; i >= 0; i--)
        {
            var n = Log[i];
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

        return Task.FromResult(new NotificationPage(page, next, UnreadCount(), store.State.LastSequence));
    }

    Task<IReadOnlyList<NotificationRecord>> INotificationInboxGrain.ReadAfter(long afterSequence, int max)
    {
        IReadOnlyList<NotificationRecord> after = Log.Where(n => n.Sequence > afterSequence).Take(max).ToList();
        return Task.FromResult(after);
    }

    async Task<int> INotificationInboxGrain.MarkRead(IReadOnlyList<long> sequences, long upToSequence)
    {
        var wanted = sequences.ToHashSet();
        var now = time.GetUtcNow();
        var changed = false;
        for (var i = 0; i < Log.Count; i++)
        {
            var n = Log[i];
            if (!n.Read && (n.Sequence <= upToSequence || wanted.Contains(n.Sequence)))
            {
                Log[i] = n with { Read = true, ReadAt = now };
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

    private int UnreadCount() => Log.Count(n => !n.Read);
}
