using System.Threading.Channels;
using Handoff.Grains;
using Handoff.Grains.Notifications;
using Handoff.Server.Hosting;

namespace Handoff.Server.Notifications;

/// <summary>What a watch sends its subscriber.</summary>
public interface IWatchSink
{
    Task NotificationAsync(NotificationRecord notification, CancellationToken cancellationToken);

    Task HeartbeatAsync(long lastSequence, CancellationToken cancellationToken);
}

/// <summary>
/// One subscriber's view of an inbox: the backlog after a sequence number, then live notifications, in order,
/// with no gap and no duplicate, and a heartbeat whenever the stream has been quiet for a while.
/// Live notifications arrive through a grain observer into a bounded channel that only this watch reads, so a
/// single loop writes the response stream. A live notification whose sequence skips ahead means something was
/// missed (while subscribing, or dropped because the buffer was full): the watch reads the gap from the inbox. In
/// quiet times it reads the inbox too, so a push lost while the inbox moved to another server after a crash is
/// delivered within one heartbeat interval.
/// A subscriber that lets the buffer fill, or does not take a message in time, is cut off as too slow; memory per
/// watch is bounded either way.
/// </summary>
public sealed class InboxWatch(IGrainFactory grains, ApiOptions options, TimeProvider time, string tenantId, InboxAddress address)
{
    private const int ReadChunk = 200;

    private readonly Channel<NotificationRecord> live = Channel.CreateBounded<NotificationRecord>(
        new BoundedChannelOptions(options.WatchBufferSize) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });

    private Observer? observer;
    private int overflowed;
    private long last;

    /// <summary>Thrown out of <see cref="RunAsync"/> when the subscriber fell too far behind.</summary>
    public sealed class TooSlowException(long lastDelivered)
        : Exception($"The subscriber fell behind; resume with after_sequence {lastDelivered}.")
    {
        public long LastDelivered { get; } = lastDelivered;
    }

    public async Task RunAsync(long afterSequence, IWatchSink sink, CancellationToken cancellationToken)
    {
        var inbox = grains.Inbox(tenantId, address);
        // Orleans holds observers weakly: the watch keeps its own alive for as long as it runs, or pushes would stop
        // the moment a garbage collection took it.
        observer = new Observer(this);
        var reference = grains.CreateObjectReference<IInboxObserver>(observer);
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
                if (await NextLiveAsync(cancellationToken) is not { } notification)
                {
                    // Quiet: make sure nothing was missed (a live push can be lost while the inbox moves between
                    // servers), then tell the subscriber the stream is alive.
                    var before = last;
                    await CatchUpAsync(inbox, sink, cancellationToken);
                    if (last == before)
                    {
                        await SendAsync(() => sink.HeartbeatAsync(last, cancellationToken), cancellationToken);
                    }
                }
                else if (notification.Sequence == last + 1)
                {
                    await SendAsync(() => sink.NotificationAsync(notification, cancellationToken), cancellationToken);
                    last = notification.Sequence;
                }
                else if (notification.Sequence > last + 1)
                {
                    await CatchUpAsync(inbox, sink, cancellationToken);
                }

                if (Volatile.Read(ref overflowed) == 1)
                {
                    throw new TooSlowException(last);
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

            await inbox.Unsubscribe(reference);
            grains.DeleteObjectReference<IInboxObserver>(reference);
            observer = null;
        }
    }

    /// <summary>The next live notification, or null when the heartbeat interval passed without one.</summary>
    private async Task<NotificationRecord?> NextLiveAsync(CancellationToken cancellationToken)
    {
        if (live.Reader.TryRead(out var ready))
        {
            return ready;
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

    private async Task CatchUpAsync(INotificationInboxGrain inbox, IWatchSink sink, CancellationToken cancellationToken)
    {
        while (true)
        {
            var page = await inbox.ReadAfter(last, ReadChunk);
            foreach (var notification in page)
            {
                await SendAsync(() => sink.NotificationAsync(notification, cancellationToken), cancellationToken);
                last = notification.Sequence;
            }

            if (page.Count < ReadChunk)
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
        public Task OnNotification(NotificationRecord notification)
        {
            if (!watch.live.Writer.TryWrite(notification))
            {
                Volatile.Write(ref watch.overflowed, 1);
            }

            return Task.CompletedTask;
        }
    }
}
