using Grpc.Core;
using Handoff.Cluster.Tests.Support;
using Handoff.Protos.V1;
using Xunit.Abstractions;

namespace Handoff.Cluster.Tests.Failover;

/// <summary>
/// A subscriber watching an inbox through one server keeps its inbox complete when that server is killed: it
/// reconnects to another with the last sequence number it has, and ends with every notification once, in order.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class SubscriberFailoverTests(ClusterDatabaseFixture database, ITestOutputHelper output)
{
    private const string Tenant = "watchers";
    private const int HotContacts = 60;
    private static readonly InboxRef Unassigned = new() { Kind = InboxKind.Unassigned };

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
        var sending = client.SendAsync(plan.WarmUpBatches(Tenant, size: 10), stop.Token);
        await WaitUntilAsync(() => subscriber.Received.Count >= HotContacts / 3, stop.Token);
        first.Kill();
        var killedAt = DateTime.UtcNow;
        await sending;

        // Notifications go out after the acknowledgement. One owed by a contact of the killed server goes out once the
        // cluster has declared that server dead and crash recovery has woken its contacts: wait for every one.
        var survivor = new NotificationService.NotificationServiceClient(cluster.Silos[1].Invoker);
        long last;
        while ((last = (await survivor.ListNotificationsAsync(new ListNotificationsRequest { TenantId = Tenant, Inbox = Unassigned })).LastSequence) < HotContacts)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), stop.Token);
        }

        await WaitUntilAsync(() => subscriber.Received.Count >= last, stop.Token);
        var elapsed = DateTime.UtcNow - killedAt;
        await stop.CancelAsync();
        await watching;

        Figures.Report(output, $"subscriber failover: notifications {last}, received {subscriber.Received.Count}, " +
            $"reconnect attempts {subscriber.Reconnects}, complete {elapsed.TotalSeconds:0.0} s after the kill");
        Assert.Equal(HotContacts, last);
        Assert.Equal(Enumerable.Range(1, (int)last).Select(i => (long)i), subscriber.Received);
        Assert.True(subscriber.Reconnects >= 1, "the subscriber never had to reconnect");
    }

    private static async Task WaitUntilAsync(Func<bool> condition, CancellationToken cancellationToken)
    {
        while (!condition())
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken);
        }
    }

    /// <summary>Watches the unassigned inbox and, when its server goes away, resumes on another after its last sequence.</summary>
    private sealed class Subscriber(IReadOnlyList<SiloProcess> silos, SiloProcess start)
    {
        private readonly List<long> received = [];

        public IReadOnlyList<long> Received
        {
            get
            {
                lock (received)
                {
                    return [.. received];
                }
            }
        }

        public int Reconnects { get; private set; }

        public async Task RunAsync(CancellationToken cancellationToken)
        {
            var silo = start;
            while (!cancellationToken.IsCancellationRequested)
            {
                var after = received.Count == 0 ? 0 : received[^1];
                try
                {
                    using var call = new NotificationService.NotificationServiceClient(silo.Invoker).WatchNotifications(
                        new WatchNotificationsRequest { TenantId = Tenant, Inbox = Unassigned, AfterSequence = after },
                        cancellationToken: cancellationToken);
                    await foreach (var item in call.ResponseStream.ReadAllAsync(cancellationToken))
                    {
                        if (item.EventCase == WatchNotificationsResponse.EventOneofCase.Notification)
                        {
                            lock (received)
                            {
                                received.Add(item.Notification.Sequence);
                            }
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
    }
}
