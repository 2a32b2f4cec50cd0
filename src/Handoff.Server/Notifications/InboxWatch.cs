using System.Threading.Channels;
using Handoff.Grains;
using Handoff.Grains.Notifications;
using Handoff.Server.Hosting;

namespace Handoff.Server.Notifications;

/// <summary>What a watch sends its subscriber.</summary>
public interface IWatchSink
{
    Task EntryAsync(InboxEntry entry, CancellationToken cancellationToken);

    Task HeartbeatAsync(long lastSequence, int unreadCount, CancellationToken cancellationToken);
}

/// <summary>
/// One subscriber's view of an inbox's log: the entries after a sequence number (notifications added, and changes to
/// them), then live ones, in order, with no gap and no duplicate, and a heartbeat whenever the stream has been quiet
/// for a while. Live entries arrive through a grain observer into a bounded channel that only this watch reads, so a
/// single loop writes the response stream. A live entry whose sequence skips ahead means something was missed (while
/// subscribing, or dropped because the buffer was full): the watch reads the gap from the inbox. In quiet times it
/// reads the inbox too, so a push lost while the inbox moved to another server after a crash is delivered within one
/// heartbeat interval. Every read checks the subscriber's place against the log the inbox keeps: past its end, or
/// before its oldest kept entry, the watch ends rather than skip anything silently.
/// A subscriber that does not take a message in time is cut off as too slow; memory per watch is bounded either way.
/// </summary>
public sealed class InboxWatch(IGrainFactory grains, ApiOptions options, TimeProvider time, string tenantId, InboxAddress address)
{
    private const int ReadChunk = 200;

    private readonly Channel<InboxEntry> live = Channel.CreateBounded<InboxEntry>(
        new BoundedChannelOptions(options.WatchBufferSize) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });

    private int dropped;
    private long last;
    private int unreadCount;

    /// <summary>Thrown out of <see cref="RunAsync"/> when the subscriber fell too far behind.</summary>
    public sealed class TooSlowException(long lastDelivered)
        : Exception($"The subscriber fell behind; resume with after_sequence {lastDelivered}.")
    {
        public long LastDelivered { get; } = lastDelivered;
    }

    /// <summary>Thrown out of <see cref="RunAsync"/> when the subscriber's place lies past the inbox's last sequence number.</summary>
    public sealed class BeyondEndException(long afterSequence, long lastSequence)
        : Exception($"after_sequence {afterSequence} is beyond the inbox's last sequence number, {lastSequence}: watch after {lastSequence} at most.")
    {
        public long LastSequence { get; } = lastSequence;
    }

    /// <summary>Thrown out of <see cref="RunAsync"/> when entries after the subscriber's place are no longer kept.</summary>
    public sealed class ExpiredException(long afterSequence, long oldestResumableAfter, long lastSequence)
        : Exception($"The inbox no longer keeps every entry after sequence {afterSequence} (it keeps those after {oldestResumableAfter}): " +
            "reload it with ListNotifications and watch after its last_sequence.")
    {
        public long OldestResumableAfter { get; } = oldestResumableAfter;

        public long LastSequence { get; } = lastSequence;
    }

    public async Task RunAsync(long afterSequence, IWatchSink sink, CancellationToken cancellationToken)
    {
        var inbox = grains.Inbox(tenantId, address);
        // Orleans holds observers weakly: the watch keeps its own alive for as long as it runs, or pushes would stop
        // the moment a garbage collection took it.
        var own = new Observer(this);
        var reference = grains.CreateObjectReference<IInboxObserver>(own);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task? renewing = null;
        try
        {
            await inbox.Subscribe(reference);
            renewing = RenewAsync(inbox, reference, stop.Token);
            last = afterSequence;
            await CatchUpAsync(inbox, sink, cancellationToken);
            while (true)
            {
                if (await NextLiveAsync(cancellationToken) is not { } entry)
                {
                    // Quiet, or entries were dropped: make sure nothing was missed (a live push can also be lost while
                    // the inbox moves between servers), then tell the subscriber the stream is alive.
                    var before = last;
                    await CatchUpAsync(inbox, sink, cancellationToken);
                    if (last == before)
                    {
                        await SendAsync(() => sink.HeartbeatAsync(last, unreadCount, cancellationToken), cancellationToken);
                    }
                }
                else if (entry.Sequence == last + 1)
                {
                    await SendEntryAsync(entry, sink, cancellationToken);
                }
                else if (entry.Sequence > last + 1)
                {
                    await CatchUpAsync(inbox, sink, cancellationToken);
                }
            }
        }
        finally
        {
            await stop.CancelAsync();
            if (renewing is not null)
            {
                await renewing;
            }

            live.Writer.TryComplete();
            try
            {
                await inbox.Unsubscribe(reference);
            }
            finally
            {
                _ = ForgetObserverAsync(reference, own);
            }
        }
    }

    /// <summary>
    /// Deletes the observer once pushes the inbox sent before it took the unsubscribe have arrived. Orleans hands a
    /// grain's answer to the caller at once but queues its one-way calls, so such a push can land after the answer, and a
    /// push to a deleted observer is logged as an error. Transit time is real time, whatever clock the product runs on.
    /// </summary>
    private async Task ForgetObserverAsync(IInboxObserver reference, Observer retired)
    {
        await Task.Delay(options.WatchObserverGrace, TimeProvider.System);
        grains.DeleteObjectReference<IInboxObserver>(reference);
        GC.KeepAlive(retired);
    }

    /// <summary>
    /// The next live entry; null when entries were dropped because the buffer was full, or when the heartbeat interval
    /// passed without one.
    /// </summary>
    private async Task<InboxEntry?> NextLiveAsync(CancellationToken cancellationToken)
    {
        if (live.Reader.TryRead(out var ready))
        {
            return ready;
        }

        if (Interlocked.Exchange(ref dropped, 0) == 1)
        {
            return null;
        }

        using var beat = new CancellationTokenSource(options.WatchHeartbeatInterval, time);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, beat.Token);
        try
        {
            return await live.Reader.ReadAsync(wait.Token);
        }
        catch (OperationCanceledException) when (beat.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    private async Task SendEntryAsync(InboxEntry entry, IWatchSink sink, CancellationToken cancellationToken)
    {
        await SendAsync(() => sink.EntryAsync(entry, cancellationToken), cancellationToken);
        last = entry.Sequence;
        unreadCount = entry.UnreadCount;
    }

    /// <summary>A subscriber that does not take a message within the write timeout is too slow.</summary>
    private async Task SendAsync(Func<Task> send, CancellationToken cancellationToken)
    {
        try
        {
            await send().WaitAsync(options.WatchWriteTimeout, time, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TooSlowException(last);
        }
    }

    /// <summary>Sends what the inbox holds after the last entry sent, once the subscriber's place is known to be in its log.</summary>
    private async Task CatchUpAsync(INotificationInboxGrain inbox, IWatchSink sink, CancellationToken cancellationToken)
    {
        while (true)
        {
            var page = await inbox.ReadLog(last, ReadChunk);
            if (last > page.LastSequence)
            {
                throw new BeyondEndException(last, page.LastSequence);
            }

            // 0 asks for everything the inbox keeps; any other place must have every later entry still kept.
            if (last > 0 && last < page.OldestResumableAfter)
            {
                throw new ExpiredException(last, page.OldestResumableAfter, page.LastSequence);
            }

            unreadCount = page.UnreadCount;
            foreach (var entry in page.Entries)
            {
                await SendEntryAsync(entry, sink, cancellationToken);
            }

            if (page.Entries.Count < ReadChunk)
            {
                return;
            }
        }
    }

    private async Task RenewAsync(INotificationInboxGrain inbox, IInboxObserver reference, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(options.WatchRenewInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                await inbox.Subscribe(reference);
            }
        }
        catch (OperationCanceledException)
        {
            // The watch ended.
        }
    }

    private sealed class Observer(InboxWatch watch) : IInboxObserver
    {
        public Task OnEntries(IReadOnlyList<InboxEntry> entries)
        {
            foreach (var entry in entries)
            {
                if (!watch.live.Writer.TryWrite(entry))
                {
                    // The watch reads what did not fit from the inbox once it has sent what did.
                    Volatile.Write(ref watch.dropped, 1);
                    break;
                }
            }

            return Task.CompletedTask;
        }
    }
}
