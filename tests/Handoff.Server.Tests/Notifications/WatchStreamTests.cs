using Grpc.Core;
using Handoff.Grains;
using Handoff.Grains.Notifications;
using Handoff.Protos.V1;
using Handoff.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Handoff.Server.Tests.Notifications;

/// <summary>Runs alone: it measures the process's memory, which other tests running beside it would disturb.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MeasuredAloneCollection
{
    public const string Name = "measured alone";
}

/// <summary>What a subscriber relies on all day: heartbeats in quiet times, and streams that hold nothing once closed.</summary>
[Collection(MeasuredAloneCollection.Name)]
public sealed class WatchStreamTests : IAsyncLifetime
{
    private ServerHost host = null!;

    // The leak test holds 100 streams of one user open at once and opens 2,100 in a few seconds: far past the limits a
    // user gets by default, which are tested on their own.
    public async Task InitializeAsync() =>
        host = await ServerHost.StartAsync(settings:
        [
            "Handoff:Api:WatchHeartbeatInterval=00:00:00.200",
            "Handoff:Limits:WatchesPerUser=100",
            "Handoff:Limits:CallsPerSecondPerUser=10000",
            "Handoff:Limits:CallBurstPerUser=10000",
        ]);

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task A_quiet_stream_sends_heartbeats_carrying_the_last_sequence_sent()
    {
        var tenant = new TestTenant(host);
        var owner = $"u-{Guid.NewGuid():N}";
        using var watch = host.Notifications.WatchNotifications(new WatchNotificationsRequest
        {
            TenantId = tenant.Id, Inbox = TestTenant.UserInbox(owner),
        });

        var first = await watch.ResponseStream.NextAsync();
        Assert.Equal(WatchNotificationsResponse.EventOneofCase.Heartbeat, first.EventCase);
        Assert.Equal((0L, 0), (first.Heartbeat.LastSequence, first.UnreadCount));

        var raised = await tenant.RaiseCardAsync("c-1", owner);
        var notification = await NextNotificationAsync(watch.ResponseStream);
        Assert.Equal(raised.Card.CardId, notification.CardId);

        var after = await watch.ResponseStream.NextAsync();
        Assert.Equal(WatchNotificationsResponse.EventOneofCase.Heartbeat, after.EventCase);
        Assert.Equal((notification.Sequence, 1), (after.Heartbeat.LastSequence, after.UnreadCount));

        // A change moves the place a heartbeat names on, and the unread count with it.
        await host.Notifications.MarkNotificationsReadAsync(new MarkNotificationsReadRequest
        {
            TenantId = tenant.Id, Inbox = TestTenant.UserInbox(owner), UpToSequence = notification.Sequence,
        });
        var (read, _) = await watch.ResponseStream.NextChangeAsync(Protos.V1.NotificationChangeKind.Read);
        var afterRead = await watch.ResponseStream.NextAsync();
        Assert.Equal(WatchNotificationsResponse.EventOneofCase.Heartbeat, afterRead.EventCase);
        Assert.Equal((read.Sequence, 0), (afterRead.Heartbeat.LastSequence, afterRead.UnreadCount));
    }

    [Fact]
    public async Task Two_thousand_streams_opened_and_closed_leave_no_subscriber_behind()
    {
        const int Waves = 20;
        const int StreamsPerWave = 100; // the HTTP/2 limit of concurrent streams on one connection
        var tenant = ServerFixture.NewTenant();
        var inboxRef = TestTenant.UserInbox("watcher");
        var inbox = host.Grains.Inbox(tenant, new InboxAddress(Grains.Notifications.InboxKind.User, "watcher"));
        // One wave first, so that code paths, pools and caches are warm before the baseline is taken.
        await OpenAndCloseAsync(host, tenant, inboxRef, inbox, StreamsPerWave);
        var memoryBefore = ManagedMemoryAfterCollection();

        for (var wave = 0; wave < Waves; wave++)
        {
            await OpenAndCloseAsync(host, tenant, inboxRef, inbox, StreamsPerWave);
        }

        var growth = ManagedMemoryAfterCollection() - memoryBefore;
        Assert.True(growth < 16 * 1024 * 1024, $"managed memory grew by {growth / 1024} KiB over {Waves * StreamsPerWave} streams");
    }

    [Fact]
    public async Task Streams_that_end_while_their_inbox_changes_leave_nothing_in_the_log()
    {
        const int Rounds = 40;
        const int StreamsPerRound = 10;
        var log = new LogCapture();
        host.Services.GetRequiredService<ILoggerFactory>().AddProvider(log);
        var tenant = new TestTenant(host);
        var owner = $"u-{Guid.NewGuid():N}";
        var inbox = host.Grains.Inbox(tenant.Id, new InboxAddress(Grains.Notifications.InboxKind.User, owner));

        // The inbox pushes to its streams all the while they come and go: a push can be on its way as one unsubscribes.
        using var stopChanging = new CancellationTokenSource();
        var changing = Task.Run(async () =>
        {
            for (var contact = 0; !stopChanging.IsCancellationRequested; contact++)
            {
                await tenant.RaiseCardAsync($"c-{contact}", owner);
            }
        });
        for (var round = 0; round < Rounds; round++)
        {
            var calls = Enumerable.Range(0, StreamsPerRound)
                .Select(_ => host.Notifications.WatchNotifications(new WatchNotificationsRequest { TenantId = tenant.Id, Inbox = TestTenant.UserInbox(owner) }))
                .ToList();
            await Task.WhenAll(calls.Select(c => c.ResponseStream.NextAsync()));
            calls.ForEach(c => c.Dispose());
        }

        await stopChanging.CancelAsync();
        await changing;
        await WaitUntilAsync(async () => await inbox.SubscriberCount() == 0, "the closed streams to unsubscribe");
        var failures = log.Lines.Where(l => l.Level >= LogLevel.Warning).ToList();
        Assert.True(failures.Count == 0, $"{failures.Count} warnings or errors, the first: {string.Join("\n", failures.Take(5).Select(l => $"{l.Level} {l.Category}: {l.Message}"))}");
    }

    /// <summary>Opens <paramref name="streams"/> watches, waits until each is subscribed, closes them, waits until none is.</summary>
    private static async Task OpenAndCloseAsync(ServerHost host, string tenant, InboxRef inboxRef, INotificationInboxGrain inbox, int streams)
    {
        var calls = Enumerable.Range(0, streams)
            .Select(_ => host.Notifications.WatchNotifications(new WatchNotificationsRequest { TenantId = tenant, Inbox = inboxRef }))
            .ToList();
        // Every stream is live once it has sent its first heartbeat (it subscribes before it sends anything).
        await Task.WhenAll(calls.Select(c => c.ResponseStream.NextAsync()));
        Assert.Equal(streams, await inbox.SubscriberCount());
        calls.ForEach(c => c.Dispose());
        await WaitUntilAsync(async () => await inbox.SubscriberCount() == 0, "the closed streams to unsubscribe");
    }

    [Fact]
    public async Task A_subscriber_that_does_not_take_a_message_in_time_is_cut_off_with_its_resume_point()
    {
        var tenant = new TestTenant(host);
        var owner = $"u-{Guid.NewGuid():N}";
        await tenant.RaiseCardAsync("c-1", owner);
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = new Hosting.ApiOptions { WatchWriteTimeout = TimeSpan.FromSeconds(30), WatchHeartbeatInterval = TimeSpan.FromMinutes(10) };
        var watch = new Server.Notifications.InboxWatch(host.Grains, options, clock, tenant.Id, new InboxAddress(Grains.Notifications.InboxKind.User, owner));
        var stuck = new StuckSink();

        var running = watch.RunAsync(afterSequence: 0, stuck, CancellationToken.None);
        await stuck.Offered.Task.WaitAsync(Streams.Patience);
        clock.Advance(TimeSpan.FromSeconds(31));

        var slow = await Assert.ThrowsAsync<Server.Notifications.InboxWatch.TooSlowException>(() => running.WaitAsync(Streams.Patience));
        Assert.Equal(0, slow.LastDelivered);
    }

    /// <summary>A subscriber that never takes what it is sent.</summary>
    private sealed class StuckSink : Server.Notifications.IWatchSink
    {
        public TaskCompletionSource Offered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task EntryAsync(InboxEntry entry, CancellationToken cancellationToken)
        {
            Offered.TrySetResult();
            return new TaskCompletionSource().Task;
        }

        public Task HeartbeatAsync(long lastSequence, int unreadCount, CancellationToken cancellationToken) => new TaskCompletionSource().Task;
    }

    private static async Task<Notification> NextNotificationAsync(IAsyncStreamReader<WatchNotificationsResponse> stream)
    {
        while (true)
        {
            var next = await stream.NextAsync();
            if (next.EventCase == WatchNotificationsResponse.EventOneofCase.Notification)
            {
                return next.Notification;
            }
        }
    }

    private static long ManagedMemoryAfterCollection()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static Task WaitUntilAsync(Func<Task<bool>> condition, string what) => Wait.UntilAsync(condition, what);
}
