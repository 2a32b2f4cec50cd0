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
/// awaits only the write. The log itself, in memory, is <see cref="InboxLog"/>; the grain loads it, stores the pages it
/// changed and tells the subscribers.
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
    private readonly List<long> pagesToDelete = [];
    private StateParts<InboxPage> pages = null!;
    private InboxLog log = null!;
    private CoalescedWrites writes = null!;

    /// <summary>Entries up to here are stored: a subscriber is never sent one that a crash could give to another entry.</summary>
    private long durableThrough;
    private bool headChanged;

    /// <summary>The page size is not in the stored head yet: the head goes first, so no page is ever read with another size.</summary>
    private bool pageSizeUnstored;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        pages = new StateParts<InboxPage>(storage, "inbox-page", this.GetGrainId());
        writes = new CoalescedWrites(WriteChangesAsync);
        var head = store.State;
        var existing = true;
        if (head.PageSize == 0)
        {
            // Not recorded: an inbox stored before inboxes recorded their page size (it has a head or a first page), or a new one.
            existing = store.RecordExists || await pages.ReadAsync(head.FirstPage) is not null;
            head.PageSize = existing ? options.Value.UnrecordedPageSize : options.Value.PageSize;
            pageSizeUnstored = true;
        }

        log = new InboxLog(options.Value, head.PageSize, pages.MarkChanged);
        if (existing)
        {
            await LoadPagesAsync(head);
        }

        log.Loaded(head.LastSequence);
        durableThrough = log.LastSequence;

        // Entries dropped from a page that was not written again since.
        Trim();
        log.FindTrimmedThrough();
    }

    /// <summary>Reads the stored pages into the log, a slice of them at a time.</summary>
    private async Task LoadPagesAsync(InboxState head)
    {
        // Every sequence number went to a notification or a change, and pages are written in sequence order: past the
        // head's last sequence, the first page missing is the end.
        var lastHeadPage = log.PageOf(Math.Max(head.LastSequence, 1));
        var slice = options.Value.ActivationReadConcurrency;
        for (var first = head.FirstPage; ; first += slice)
        {
            var numbers = Enumerable.Range(0, slice).Select(i => first + i).ToList();
            var read = await pages.ReadManyAsync(numbers, slice);
            var ended = false;
            for (var i = 0; i < read.Length && !ended; i++)
            {
                if (read[i] is { } page)
                {
                    log.Load(page);
                }
                else
                {
                    ended = numbers[i] > lastHeadPage;
                }
            }

            if (ended)
            {
                break;
            }
        }
    }

    /// <summary>
    /// Keeps the newest notifications and the newest changes; pages left with neither are deleted with the next write.
    /// </summary>
    private void Trim()
    {
        if (log.Trim() is not { } firstKept)
        {
            return;
        }

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

    /// <summary>The changed pages, then the head when the oldest page moved on, then the pages no longer kept.</summary>
    private async Task WriteChangesAsync()
    {
        // Every entry numbered so far is on a page marked changed, by now or by a write that failed: this write stores it.
        var storing = log.LastSequence;
        if (pageSizeUnstored)
        {
            await store.WriteStateAsync();
            pageSizeUnstored = false;
        }

        await pages.WriteChangedAsync(log.PageContent);
        if (headChanged)
        {
            store.State.LastSequence = log.LastSequence;
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

    /// <summary>Tells the live subscribers about entries that are stored, with the notifications as they are now.</summary>
    private Task PublishAsync(Func<int, IReadOnlyList<InboxEntry>> entries)
    {
        if (observers.Count == 0)
        {
            return Task.CompletedTask;
        }

        var published = entries(log.UnreadCount());
        return observers.Notify(o => o.OnEntries(published));
    }

    async Task<NotificationRecord> INotificationInboxGrain.Deliver(NotificationNotice notice)
    {
        var delivery = log.Deliver(notice);
        if (!delivery.ChangedAnything)
        {
            await writes.DurableAsync();
            return delivery.Notification;
        }

        Trim();
        await writes.WriteAsync();
        await PublishAsync(unread => [delivery.Update is { } update ? log.Entry(update, unread) : log.Entry(delivery.Notification, unread)]);
        return delivery.Notification;
    }

    Task INotificationInboxGrain.Resolve(string cardId, NotificationResolution resolution, DateTimeOffset at) =>
        StoreAndPublishAsync(log.Resolve(cardId, resolution, at));

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
        await PublishAsync(unread => recorded.Select(c => log.Entry(c, unread)).ToList());
    }

    Task<NotificationPage> INotificationInboxGrain.List(long beforeSequence, int pageSize, bool unreadOnly) =>
        Task.FromResult(log.List(beforeSequence, pageSize, unreadOnly));

    Task<InboxLogPage> INotificationInboxGrain.ReadLog(long afterSequence, int max) =>
        Task.FromResult(log.Read(afterSequence, max, durableThrough));

    async Task<int> INotificationInboxGrain.MarkRead(IReadOnlyList<long> sequences, long upToSequence)
    {
        var recorded = log.MarkRead(sequences, upToSequence, time.GetUtcNow());
        var unread = log.UnreadCount();
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
}
