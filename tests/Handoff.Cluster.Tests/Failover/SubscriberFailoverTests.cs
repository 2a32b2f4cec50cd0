using Grpc.Core;
using Handoff.Cluster.Tests.Support;
using Handoff.Protos.V1;
using Xunit.Abstractions;

namespace Handoff.Cluster.Tests.Failover;

/// <summary>
/// A subscriber watching an inbox through one server keeps its inbox complete when that server is killed: it
/// reconnects to another with the last sequence number it has, and ends with every entry once, in order: the new
/// notifications and the changes to them (read by another client before and after the kill).
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class SubscriberFailoverTests(ClusterDatabaseFixture database, ITestOutputHelper output)
{
    private const string Tenant = "watchers";
    private const int HotContacts = 60;
    private static readonly InboxRef Unassigned = new() { Kind = InboxKind.Unassigned };

    /// <summary>Room for the cluster to declare the killed server dead and for crash recovery to wake its contacts.</summary>
    private static readonly TimeSpan FailoverPatience = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task A_subscriber_follows_its_inbox_across_the_death_of_its_server()
    {
        var clusterId = $"watch-{Guid.NewGuid():N}"[..20];
        var connectionString = await database.CreateDatabaseAsync();
        await using var cluster = await TestCluster.StartAsync(connectionString, clusterId, silos: 3, TimeSpan.FromSeconds(90));
        var plan = new EventPlan(contacts: HotContacts, HotContacts, eventsPerContact: 0, DateTimeOffset.UtcNow);
        var client = new IngestClient(cluster.Silos, workers: 2, callTimeout: TimeSpan.FromSeconds(30), maxAttempts: 20);
        var first = cluster.Silos[0];
        var subscriber = new Subscriber(cluster.Silos, first);
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var watching = subscriber.RunAsync(stop.Token);

        // Hot contacts have no owner: every card lands in the tenant's unassigned inbox, one batch (one card) at a time.
        // Another client marks what the subscriber has read, through a server that stays, before and after the kill.
        var survivor = new NotificationService.NotificationServiceClient(cluster.Silos[1].Invoker);
        var sending = client.SendAsync(plan.WarmUpBatches(Tenant, size: 10), stop.Token);
        await WaitForNotificationsAsync(subscriber, HotContacts / 3);
        await MarkReadAsync(survivor, subscriber.LastNotification, stop.Token);
        first.Kill();
        var killedAt = DateTime.UtcNow;
        await WaitForNotificationsAsync(subscriber, HotContacts * 2 / 3);
        await MarkReadAsync(survivor, subscriber.LastNotification, stop.Token);
        await sending;

        // Notifications go out after the acknowledgement. One owed by a contact of the killed server goes out once the
        // cluster has declared that server dead and crash recovery has woken its contacts: wait for every one.
        var seen = new ListNotificationsResponse();
        var inbox = await Wait.ForAsync(
            async () =>
            {
                seen = await survivor.ListNotificationsAsync(
                    new ListNotificationsRequest { TenantId = Tenant, Inbox = Unassigned, PageSize = 500 }, cancellationToken: stop.Token);
                return seen.Notifications.Count >= HotContacts ? seen : null;
            },
            () => "the inbox to hold every notification; missing those of contacts " +
                string.Join(", ", plan.HotContacts.Except(seen.Notifications.Select(n => n.ContactId))) + $"\n{cluster.Logs}",
            FailoverPatience);

        var unread = await MarkReadAsync(survivor, inbox.LastSequence, stop.Token);
        var last = (await survivor.ListNotificationsAsync(new ListNotificationsRequest { TenantId = Tenant, Inbox = Unassigned }, cancellationToken: stop.Token)).LastSequence;
        await Wait.UntilAsync(() => subscriber.Received.Count >= last, () => $"the subscriber to receive {last} entries; it has {subscriber.Received.Count}", FailoverPatience);
        var elapsed = DateTime.UtcNow - killedAt;
        await stop.CancelAsync();
        await watching;

        var received = subscriber.Received;
        Figures.Report(output, $"subscriber failover: entries {last} ({subscriber.Notifications} notifications), received {received.Count}, " +
            $"reconnect attempts {subscriber.Reconnects}, complete {elapsed.TotalSeconds:0.0} s after the kill");
        Assert.Equal(Enumerable.Range(1, (int)last).Select(i => (long)i), received.Select(e => e.Sequence));
        Assert.Equal(HotContacts, received.Count(e => e.Kind == NotificationChangeKind.Unspecified));
        // Every notification was marked read once, by one of the three calls, and the subscriber heard of each.
        Assert.Equal(HotContacts, received.Count(e => e.Kind == NotificationChangeKind.Read));
        Assert.Equal((0, 0), (unread, subscriber.UnreadCount));
        Assert.True(subscriber.Reconnects >= 1, "the subscriber never had to reconnect");
    }

    /// <summary>
    /// Marks the inbox read up to <paramref name="upToSequence"/> through a server that stays, trying again while the
    /// cluster has not yet moved the inbox off the killed one. Returns the unread count.
    /// </summary>
    private static async Task<int> MarkReadAsync(NotificationService.NotificationServiceClient survivor, long upToSequence, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return (await survivor.MarkNotificationsReadAsync(
                    new MarkNotificationsReadRequest { TenantId = Tenant, Inbox = Unassigned, UpToSequence = upToSequence },
                    deadline: DateTime.UtcNow.AddSeconds(30), cancellationToken: cancellationToken)).UnreadCount;
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded && !cancellationToken.IsCancellationRequested)
            {
                // The inbox was on the killed server: Orleans moves it once the cluster has declared that server dead.
            }
        }
    }

    private static Task WaitForNotificationsAsync(Subscriber subscriber, int count) =>
        Wait.UntilAsync(() => subscriber.Notifications >= count, () => $"the subscriber to see {count} notifications; it has {subscriber.Notifications}", FailoverPatience);

    /// <summary>
    /// Watches the unassigned inbox and, when its server goes away, resumes on another after its last sequence. Records
    /// every entry: a new notification (kind UNSPECIFIED) or a change of its kind.
    /// </summary>
    private sealed class Subscriber(IReadOnlyList<SiloProcess> silos, SiloProcess start)
    {
        private readonly List<(long Sequence, NotificationChangeKind Kind)> received = [];
        private int notifications;
        private long lastNotification;
        private int unreadCount;

        public IReadOnlyList<(long Sequence, NotificationChangeKind Kind)> Received
        {
            get
            {
                lock (received)
                {
                    return [.. received];
                }
            }
        }

        public int Notifications => Volatile.Read(ref notifications);

        public long LastNotification => Volatile.Read(ref lastNotification);

        /// <summary>The unread count of the last message received.</summary>
        public int UnreadCount => Volatile.Read(ref unreadCount);

        public int Reconnects { get; private set; }

        public async Task RunAsync(CancellationToken cancellationToken)
        {
            var silo = start;
            while (!cancellationToken.IsCancellationRequested)
            {
                var after = received.Count == 0 ? 0 : received[^1].Sequence;
                try
                {
                    using var call = new NotificationService.NotificationServiceClient(silo.Invoker).WatchNotifications(
                        new WatchNotificationsRequest { TenantId = Tenant, Inbox = Unassigned, AfterSequence = after },
                        cancellationToken: cancellationToken);
                    await foreach (var item in call.ResponseStream.ReadAllAsync(cancellationToken))
                    {
                        Volatile.Write(ref unreadCount, item.UnreadCount);
                        if (item.EventCase == WatchNotificationsResponse.EventOneofCase.Notification)
                        {
                            Add(item.Notification.Sequence, NotificationChangeKind.Unspecified);
                            Volatile.Write(ref lastNotification, item.Notification.Sequence);
                            Interlocked.Increment(ref notifications);
                        }
                        else if (item.EventCase == WatchNotificationsResponse.EventOneofCase.Change)
                        {
                            Add(item.Change.Sequence, item.Change.Kind);
                        }
                    }
                }
                catch (RpcException) when (!cancellationToken.IsCancellationRequested)
                {
                    // The server went away: resume on another.
                }
                catch (Exception e) when (e is OperationCanceledException or RpcException && cancellationToken.IsCancellationRequested)
                {
                    return;
                }

                // Like any client: back off a little, then try a server that is still there.
                Reconnects++;
                await Task.Delay(TimeSpan.FromMilliseconds(100), CancellationToken.None);
                silo = silos.First(s => !s.HasExited);
            }
        }

        private void Add(long sequence, NotificationChangeKind kind)
        {
            lock (received)
            {
                received.Add((sequence, kind));
            }
        }
    }
}
