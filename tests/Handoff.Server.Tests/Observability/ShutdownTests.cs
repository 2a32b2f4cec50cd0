using System.Diagnostics;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Handoff.Protos.V1;
using Handoff.Server.Hosting;
using Handoff.Server.Tests.Support;
using Handoff.Storage.Journal;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using static Grpc.Health.V1.HealthCheckResponse.Types;

namespace Handoff.Server.Tests.Observability;

/// <summary>
/// A graceful stop of the real host: while it drains, the health service says NOT_SERVING and new calls are turned
/// away with UNAVAILABLE, the running call still completes, and open notification streams end at once with a status
/// instead of holding the stop until the drain timeout. The test talks over a channel of its own, which outlives the host.
/// </summary>
[Collection(ObservabilityCollection.Name)]
public sealed class ShutdownTests
{
    /// <summary>Long, so that a stop that waits for it is told apart from one that does not.</summary>
    private const string DrainTimeout = "00:01:00";

    [Fact]
    public async Task While_draining_health_is_NOT_SERVING_and_new_calls_are_UNAVAILABLE_until_the_running_call_has_finished()
    {
        // The running call: an ingest whose journal append waits for the journal's database file, which another
        // process (this test) holds locked until it lets go. That keeps the call in flight, with nothing in the host made for the test.
        var host = await ServerHost.StartAsync(null, $"Handoff:Api:ShutdownDrainTimeout={DrainTimeout}");
        using var channel = GrpcChannel.ForAddress(host.GrpcAddress);
        var health = new Health.HealthClient(channel);
        var tenant = new TestTenant(host);
        await tenant.UpsertContactAsync("c-1", owner: "alice");
        Assert.Equal(ServingStatus.Serving, (await CheckAsync(health)).Status);

        await using var blocker = new SqliteConnection($"Data Source={SqliteEventJournal.PathFor(host.DatabasePath)}");
        await blocker.OpenAsync();
        await ExecuteAsync(blocker, "BEGIN EXCLUSIVE;");
        var request = new IngestBatchRequest { TenantId = tenant.Id, BatchId = "running" };
        request.Events.AddRange(new ProtoEvents("c-1").RisingBuyer());
        var inFlight = host.Services.GetRequiredService<InFlightCalls>();
        var running = new IngestService.IngestServiceClient(host.Credentials.ForRequestTenant(channel.CreateCallInvoker())).IngestBatchAsync(request).ResponseAsync;
        await UntilAsync(() => Task.FromResult(inFlight.Running > 0), "the ingest call in flight");

        var stopping = host.DisposeAsync().AsTask();

        await UntilAsync(async () => (await CheckAsync(health)).Status == ServingStatus.NotServing, "health NOT_SERVING while draining");
        var turnedAway = await Assert.ThrowsAsync<RpcException>(() => new ContactService.ContactServiceClient(host.Credentials.ForRequestTenant(channel.CreateCallInvoker()))
            .GetContactAsync(new GetContactRequest { TenantId = tenant.Id, ContactId = "c-1" }, deadline: DateTime.UtcNow + Streams.Patience).ResponseAsync);
        Assert.Equal(StatusCode.Unavailable, turnedAway.StatusCode);
        Assert.False(running.IsCompleted, "The running call ended before the journal's file was let go.");
        Assert.False(stopping.IsCompleted, "The host stopped while a call was still running.");

        // The journal's file is free again: the call completes, then the host stops.
        await ExecuteAsync(blocker, "COMMIT;");
        var ack = await running.WaitAsync(Streams.Patience);
        Assert.Equal(10, ack.AcceptedCount);
        await stopping.WaitAsync(Streams.Patience);
    }

    [Fact]
    public async Task A_graceful_stop_ends_open_notification_streams_with_a_status_well_before_the_drain_timeout()
    {
        var host = await ServerHost.StartAsync(null, $"Handoff:Api:ShutdownDrainTimeout={DrainTimeout}");
        using var channel = GrpcChannel.ForAddress(host.GrpcAddress);
        var tenant = new TestTenant(host);
        await tenant.RaiseCardAsync("c-1", owner: "alice");
        using var watch = new NotificationService.NotificationServiceClient(host.Credentials.ForRequestTenant(channel.CreateCallInvoker())).WatchNotifications(
            new WatchNotificationsRequest { TenantId = tenant.Id, Inbox = TestTenant.UserInbox("alice") });
        Assert.Equal("c-1", (await watch.ResponseStream.NextAsync()).Notification.ContactId);

        var stopwatch = Stopwatch.StartNew();
        var stopping = host.DisposeAsync().AsTask();
        var status = await EndAsync(watch.ResponseStream);
        await stopping.WaitAsync(Streams.Patience);
        stopwatch.Stop();

        // OK (the watch ended cleanly) or UNAVAILABLE (resume elsewhere); CANCELLED or INTERNAL would mean a torn connection.
        Assert.True(status.StatusCode is StatusCode.OK or StatusCode.Unavailable, $"The stream ended with {status}.");
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(15), $"The stop took {stopwatch.Elapsed} (drain timeout {DrainTimeout}).");
    }

    /// <summary>Reads the stream to its end, skipping heartbeats and notifications, and returns its status.</summary>
    private static async Task<Status> EndAsync(IAsyncStreamReader<WatchNotificationsResponse> stream)
    {
        using var deadline = new CancellationTokenSource(Streams.Patience);
        try
        {
            while (await stream.MoveNext(deadline.Token))
            {
            }

            return Status.DefaultSuccess;
        }
        catch (RpcException e) when (!deadline.IsCancellationRequested)
        {
            return e.Status;
        }
    }

    private static async Task<HealthCheckResponse> CheckAsync(Health.HealthClient health) =>
        await health.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow + Streams.Patience);

    private static Task UntilAsync(Func<Task<bool>> condition, string what) => Wait.UntilAsync(condition, what);

    private static async Task ExecuteAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
