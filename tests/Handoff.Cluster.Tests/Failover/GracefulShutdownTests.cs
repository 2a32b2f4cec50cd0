using Grpc.Core;
using Handoff.Cluster.Tests.Support;
using Handoff.Protos.V1;
using Xunit.Abstractions;

namespace Handoff.Cluster.Tests.Failover;

/// <summary>A silo stopped on purpose (SIGTERM, as in a rolling deploy) hands its grains over without failing a call.</summary>
[Collection(ClusterCollection.Name)]
public sealed class GracefulShutdownTests(ClusterDatabaseFixture database, ITestOutputHelper output)
{
    private const string Tenant = "rolling";
    private const int Contacts = 1500;
    private const int EventsPerContact = 4;
    private const int BatchSize = 250;
    private const string RefusedWhileDraining = "This server is shutting down; send the call to another one.";

    [Fact]
    public async Task Stopping_a_silo_gracefully_fails_no_call()
    {
        var clusterId = $"stop-{Guid.NewGuid():N}"[..20];
        var connectionString = await database.CreateDatabaseAsync();
        await using var cluster = await TestCluster.StartAsync(connectionString, clusterId, silos: 3, TimeSpan.FromSeconds(90));
        var plan = new EventPlan(Contacts, hotContacts: 0, EventsPerContact, DateTimeOffset.UtcNow);
        // A call that picked the leaving silo just before the client stopped choosing it may reach it once it has begun
        // to drain: it is refused at the door, unapplied, and sent elsewhere. Any other failure fails the test.
        var client = new IngestClient(cluster.Silos, workers: 6, callTimeout: TimeSpan.FromSeconds(30), maxAttempts: 3);
        var batches = plan.LoadBatches(Tenant, BatchSize).ToList();

        try
        {
            await RunAsync(cluster, client, batches, plan, connectionString, clusterId);
        }
        catch
        {
            output.WriteLine(cluster.Logs);
            throw;
        }
    }

    private async Task RunAsync(TestCluster cluster, IngestClient client, List<IngestBatchRequest> batches, EventPlan plan, string connectionString, string clusterId)
    {
        var leaving = cluster.Silos[2];
        var sending = client.SendAsync(batches, CancellationToken.None);
        await Wait.UntilAsync(
            async () =>
            {
                if (sending.IsCompleted)
                {
                    await sending; // a load that failed says why
                }

                return client.AcknowledgedBatches >= batches.Count / 3;
            },
            "the load to progress", TimeSpan.FromMinutes(3));

        client.Avoid(leaving);
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        await leaving.StopGracefullyAsync(TimeSpan.FromSeconds(60));
        var stopTime = stopwatch.Elapsed;
        await sending;

        var reader = new ContactService.ContactServiceClient(cluster.Silos[0].Invoker);
        long found = 0;
        foreach (var contactId in plan.Contacts)
        {
            found += (await reader.GetContactAsync(new GetContactRequest { TenantId = Tenant, ContactId = contactId })).Contact.Engagement.TotalEventCount;
        }

        await Membership.WaitForStatusAsync(connectionString, clusterId, leaving.SiloPort, Membership.Dead, TimeSpan.FromSeconds(30));
        Figures.Report(output, $"graceful stop: events acknowledged {client.AcknowledgedEvents}, found {found}, " +
            $"the silo stopped in {stopTime.TotalSeconds:0.0} s, calls refused at its door while it drained {client.Failures.Count}");
        Assert.All(client.Failures, f => Assert.Equal((leaving.Name, StatusCode.Unavailable, RefusedWhileDraining), f));
        Assert.Equal(batches.Sum(b => b.Events.Count), client.AcknowledgedEvents);
        Assert.Equal(client.AcknowledgedEvents, found);
    }
}
