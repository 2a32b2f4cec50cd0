using Google.Rpc;
using Grpc.Core;
using Handoff.Protos.V1;
using Handoff.Server.Hosting;
using Handoff.Server.Tests.Support;

namespace Handoff.Server.Tests.Security;

/// <summary>
/// The limits of docs/security.md against the real host, set low here so that a test reaches them: call and event
/// rates per caller and per tenant (RESOURCE_EXHAUSTED with a retry delay, nothing of a refused batch taken), open
/// notification streams per user and per tenant, and the caps on what one event may carry.
/// </summary>
public sealed class LimitTests
{
    [Fact]
    public async Task A_user_past_its_call_rate_is_told_when_to_retry_while_others_of_its_tenant_are_served()
    {
        await using var host = await ServerHost.StartAsync(null, "Handoff:Limits:CallsPerSecondPerUser=1", "Handoff:Limits:CallBurstPerUser=5");
        var tenant = await SeededTenantAsync(host);
        var alice = host.As(tenant, "alice", "agent");

        var (served, refused) = await CallUntilRefusedAsync(() => alice.Contacts.GetContactAsync(new GetContactRequest { ContactId = "c-1" }).ResponseAsync);

        Assert.InRange(served, 5, 7);
        var retryAfter = AssertRetryable(refused, "CALL_RATE_LIMITED");
        Assert.Contains("alice", refused.Status.Detail, StringComparison.Ordinal);
        Assert.InRange(retryAfter, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(2));
        await host.As(tenant, "bob", "agent").Contacts.GetContactAsync(new GetContactRequest { ContactId = "c-1" });
        await EventuallyAsync(() => alice.Contacts.GetContactAsync(new GetContactRequest { ContactId = "c-1" }).ResponseAsync, "alice served again");
    }

    [Fact]
    public async Task A_tenant_past_its_call_rate_is_refused_for_every_user_and_another_tenant_is_served()
    {
        await using var host = await ServerHost.StartAsync(null, "Handoff:Limits:CallsPerSecondPerTenant=1", "Handoff:Limits:CallBurstPerTenant=6");
        var busy = await SeededTenantAsync(host);
        var quiet = await SeededTenantAsync(host);
        var user = 0;

        // Each call by another user: the tenant's bucket, not a user's, runs dry.
        var (served, refused) = await CallUntilRefusedAsync(
            () => host.As(busy, $"user-{user++}", "agent").Contacts.GetContactAsync(new GetContactRequest { ContactId = "c-1" }).ResponseAsync);

        Assert.InRange(served, 5, 7);
        AssertRetryable(refused, "CALL_RATE_LIMITED");
        Assert.Contains(busy, refused.Status.Detail, StringComparison.Ordinal);
        await host.As(quiet, "someone-new", "agent").Contacts.GetContactAsync(new GetContactRequest { ContactId = "c-1" });
    }

    [Fact]
    public async Task A_batch_past_the_event_rate_is_refused_whole_and_one_within_it_is_taken()
    {
        // A bucket of 1,000 events that refills one a second: what is left of it after a batch is known to the event.
        await using var host = await ServerHost.StartAsync(null, "Handoff:Limits:EventsPerSecondPerCaller=1", "Handoff:Limits:EventBurstPerCaller=1000");
        var tenant = new TestTenant(host);

        Assert.Equal(600, (await tenant.IngestAsync(Events("c-1", 600), "first")).AcceptedCount);
        var refused = await RpcAssert.FailsAsync(StatusCode.ResourceExhausted, () => tenant.IngestAsync(Events("c-2", 600), "second"));
        var retryAfter = AssertRetryable(refused, "EVENT_RATE_LIMITED");
        await RpcAssert.FailsAsync(StatusCode.NotFound, () => tenant.GetContactAsync("c-2"));

        Assert.True(retryAfter >= TimeSpan.FromSeconds(150), $"200 events at one a second, yet retry after {retryAfter}");
        Assert.Equal(400, (await tenant.IngestAsync(Events("c-3", 400), "third")).AcceptedCount);
        // Another caller of the tenant has a bucket of its own.
        var pipeline = host.As(tenant.Id, "other-pipeline", "ingest");
        Assert.Equal(600, (await pipeline.Ingest.IngestBatchAsync(new IngestBatchRequest { BatchId = "x", Events = { Events("c-4", 600) } })).AcceptedCount);
    }

    [Fact]
    public async Task On_a_stream_a_batch_past_the_event_rate_ends_it_after_the_earlier_acknowledgements()
    {
        await using var host = await ServerHost.StartAsync(null, "Handoff:Limits:EventsPerSecondPerTenant=1", "Handoff:Limits:EventBurstPerTenant=1000");
        var tenant = new TestTenant(host);
        using var call = host.Ingest.IngestEvents(tenant.Auth, DateTime.UtcNow + Streams.Patience);

        await call.RequestStream.WriteAsync(new IngestEventsRequest { TenantId = tenant.Id, BatchId = "b-1", Events = { Events("c-1", 700) } });
        await call.RequestStream.WriteAsync(new IngestEventsRequest { TenantId = tenant.Id, BatchId = "b-2", Events = { Events("c-2", 700) } });

        Assert.Equal(("b-1", 700), await AckAsync(call.ResponseStream));
        var refused = await RpcAssert.FailsAsync(StatusCode.ResourceExhausted, () => call.ResponseStream.MoveNext(CancellationToken.None));
        AssertRetryable(refused, "EVENT_RATE_LIMITED");
        await RpcAssert.FailsAsync(StatusCode.NotFound, () => tenant.GetContactAsync("c-2"));
    }

    [Fact]
    public async Task A_batch_larger_than_the_event_burst_is_refused_for_its_size_not_its_rate()
    {
        await using var host = await ServerHost.StartAsync(null, "Handoff:Limits:EventBurstPerCaller=1000");
        var tenant = new TestTenant(host);

        await RpcAssert.InvalidArgumentAsync("events", () => tenant.IngestAsync(Events("c-1", 1001)));
    }

    [Fact]
    public void Limits_the_host_cannot_work_with_stop_the_start_up_naming_the_setting()
    {
        var error = Assert.Throws<HandoffStartupException>(() => HandoffServer.Build(ServerHost.ThrowawayArgs(null, "--Handoff:Limits:EventBurstPerTenant=999")));

        Assert.Contains("Handoff:Limits:EventBurstPerTenant", error.Message, StringComparison.Ordinal);
        Assert.Contains("Handoff:Ingest:MaxBatchSize", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_user_holds_at_most_its_number_of_open_notification_streams_and_one_more_opens_once_one_closes()
    {
        await using var host = await ServerHost.StartAsync(null, "Handoff:Limits:WatchesPerUser=2", "Handoff:Api:WatchHeartbeatInterval=00:00:00.200");
        var tenant = ServerFixture.NewTenant();
        var alice = host.As(tenant, "alice", "agent");
        var watch = new WatchNotificationsRequest { Inbox = new InboxRef { Kind = InboxKind.User } };

        using var first = alice.Notifications.WatchNotifications(watch);
        await first.ResponseStream.NextAsync();
        using var second = alice.Notifications.WatchNotifications(watch);
        await second.ResponseStream.NextAsync();
        using var third = alice.Notifications.WatchNotifications(watch);
        var refused = await RpcAssert.FailsAsync(StatusCode.ResourceExhausted, () => third.ResponseStream.MoveNext(CancellationToken.None));
        AssertRetryable(refused, "TOO_MANY_WATCHES");
        using var bobs = host.As(tenant, "bob", "agent").Notifications.WatchNotifications(watch);
        await bobs.ResponseStream.NextAsync();

        first.Dispose();
        await EventuallyAsync(async () =>
        {
            using var again = alice.Notifications.WatchNotifications(watch);
            return await again.ResponseStream.NextAsync();
        }, "a stream of alice's once she closed one");
    }

    [Fact]
    public async Task A_tenant_holds_at_most_its_number_of_open_notification_streams()
    {
        await using var host = await ServerHost.StartAsync(null, "Handoff:Limits:WatchesPerTenant=2", "Handoff:Api:WatchHeartbeatInterval=00:00:00.200");
        var tenant = ServerFixture.NewTenant();
        var watch = new WatchNotificationsRequest { Inbox = new InboxRef { Kind = InboxKind.User } };

        using var alices = host.As(tenant, "alice", "agent").Notifications.WatchNotifications(watch);
        await alices.ResponseStream.NextAsync();
        using var bobs = host.As(tenant, "bob", "agent").Notifications.WatchNotifications(watch);
        await bobs.ResponseStream.NextAsync();
        using var carols = host.As(tenant, "carol", "agent").Notifications.WatchNotifications(watch);

        var refused = await RpcAssert.FailsAsync(StatusCode.ResourceExhausted, () => carols.ResponseStream.MoveNext(CancellationToken.None));
        AssertRetryable(refused, "TOO_MANY_WATCHES");
        Assert.Contains(tenant, refused.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_event_over_the_attribute_caps_is_rejected_alone_naming_its_attributes()
    {
        await using var host = await ServerHost.StartAsync();
        var tenant = new TestTenant(host);
        var events = new ProtoEvents("c-1");
        var tooMany = events.Opened(TimeSpan.FromMinutes(4));
        for (var i = 0; i < 33; i++)
        {
            tooMany.Attributes[$"k{i}"] = "v";
        }

        var longKey = events.Opened(TimeSpan.FromMinutes(3));
        longKey.Attributes[new string('k', 65)] = "v";
        var longValue = events.Opened(TimeSpan.FromMinutes(2));
        longValue.Attributes["page"] = new string('v', 1001);
        var fine = events.Opened(TimeSpan.FromMinutes(1));
        fine.Attributes["page"] = "/pricing";

        var ack = await tenant.IngestAsync([tooMany, longKey, longValue, fine]);

        Assert.Equal(1, ack.AcceptedCount);
        Assert.Equal([0, 1, 2], ack.Rejected.Select(r => r.Index));
        Assert.All(ack.Rejected, r => Assert.Equal($"events[{r.Index}].attributes", r.Field));
    }

    /// <summary>Calls until the call is refused RESOURCE_EXHAUSTED (at most 20 times): how many were served, and the refusal.</summary>
    private static async Task<(int Served, RpcException Refused)> CallUntilRefusedAsync(Func<Task> call)
    {
        for (var served = 0; served < 20; served++)
        {
            try
            {
                await call();
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.ResourceExhausted)
            {
                return (served, e);
            }
        }

        throw new Xunit.Sdk.XunitException("20 calls were served; the limit never refused one.");
    }

    private static TimeSpan AssertRetryable(RpcException refused, string reason)
    {
        var status = refused.GetRpcStatus();
        Assert.Equal(reason, status?.GetDetail<ErrorInfo>()?.Reason);
        Assert.False(string.IsNullOrEmpty(status!.GetDetail<RequestInfo>()?.RequestId));
        var retry = status.GetDetail<RetryInfo>();
        Assert.True(retry is not null, $"No RetryInfo: {status}");
        return retry.RetryDelay.ToTimeSpan();
    }

    private static List<EngagementEvent> Events(string contactId, int count)
    {
        var events = new ProtoEvents(contactId);
        return Enumerable.Range(0, count).Select(i => events.Opened(TimeSpan.FromSeconds(count - i))).ToList();
    }

    private static async Task<(string, int)> AckAsync(IAsyncStreamReader<IngestEventsResponse> acks)
    {
        var ack = await acks.NextAsync();
        return (ack.BatchId, ack.AcceptedCount);
    }

    private static async Task<string> SeededTenantAsync(ServerHost host)
    {
        var tenant = new TestTenant(host);
        await tenant.UpsertContactAsync("c-1");
        return tenant.Id;
    }

    /// <summary>Tries again while the answer is RESOURCE_EXHAUSTED, until it succeeds or <see cref="Streams.Patience"/> runs out.</summary>
    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> call, string what)
    {
        var deadline = DateTime.UtcNow + Streams.Patience;
        while (true)
        {
            try
            {
                return await call();
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.ResourceExhausted && DateTime.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50));
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.ResourceExhausted)
            {
                throw new TimeoutException($"Not {what} within {Streams.Patience}.", e);
            }
        }
    }
}
