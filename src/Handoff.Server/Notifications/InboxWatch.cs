using System.Threading.Channels;
using Handoff.Grains;
using Handoff.Grains.Notifications;
using Handoff.Server.Hosting;

namespace Handoff.Server.Notifications;

/// <summary>
/// One subscriber's view of an inbox: the backlog after a sequence number, then live notifications, in order,
/// with no gap and no duplicate. Live notifications arrive through a grain observer into a bounded channel that
/// only this watch reads, so a single loop writes the response stream. Seeing a gap (a live notification whose
/// sequence skips ahead) means something was missed while subscribing: the watch reads the gap from the inbox.
/// </summary>
public sealed class InboxWatch(IGrainFactory grains, ApiOptions options, string tenantId, InboxAddress address)
{
    private const int ReadChunk = 200;

    private readonly Channel<NotificationRecord> live = Channel.CreateBounded<NotificationRecord>(
        new BoundedChannelOptions(options.WatchBufferSize) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });

    private bool overflowed;

    /// <summary>Thrown out of <see cref="RunAsync"/> when the subscriber fell too far behind.</summary>
    public sealed class TooSlowException(long lastDelivered)
        : Exception($"The subscriber fell behind; resume from after_sequence {lastDelivered}.")
    {
        public long LastDelivered { get; } = lastDelivered;
    }

    public async Task RunAsync(long afterSequence, Func<NotificationRecord, Task> write, CancellationToken cancellationToken)
    {
        var inbox = grains.Inbox(tenantId, address);
        var observer = new Observer(this);
        var reference = grains.CreateObjectReference<IInboxObserver>(observer);
        using var renewal = new CancellationTokenSource();
        try
        {
            await inbox.Subscribe(reference);
            var renewing = RenewAsync(inbox, reference, renewal.Token);
            var last = await CatchUpAsync(inbox, afterSequence, write);

            await foreach (var notification in live.Reader.ReadAllAsync(cancellationToken))
            {
                if (notification.Sequence <= last)
                {
                    continue;
                }

                last = notification.Sequence == last + 1
                    ? await WriteAsync(notification, write)
                    : await CatchUpAsync(inbox, last, write);
                if (Volatile.Read(ref overflowed))
                {
                    throw new TooSlowException(last);
                }
            }

            await renewing;
        }
        finally
        {
            await renewal.CancelAsync();
            await inbox.Unsubscribe(reference);
            grains.DeleteObjectReference<IInboxObserver>(reference);
        }
    }

    private static async Task<long> WriteAsync(NotificationRecord notification, Func<NotificationRecord, Task> write)
    {
        await write(notification);
        return notification.Sequence;
    }

    private static async Task<long> CatchUpAsync(INotificationInboxGrain inbox, long after, Func<NotificationRecord, Task> write)
    {
        while (true)
        {
            var page = await inbox.ReadAfter(after, ReadChunk);
            foreach (var notification in page)
            {
                after = await WriteAsync(notification, write);
            }

            if (page.Count < ReadChunk)
            {
                return after;
            }
        }
    }

    private async Task RenewAsync(INotificationInboxGrain inbox, IInboxObserver reference, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(options.WatchRenewInterval);
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
                Volatile.Write(ref watch.overflowed, true);
            }

            return Task.CompletedTask;
        }
    }
}
