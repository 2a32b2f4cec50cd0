using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using Handoff.Grains;
using Handoff.Protos.V1;
using Handoff.Server.Tests.Observability;
using Handoff.Server.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Handoff.Server.Tests.Security;

/// <summary>
/// What a client that does not play by the rules gets: bytes that are no message, a garbage frame in a stream, a
/// stream cancelled or reset half-way, a database outage under a flood of calls. One documented status, a correlation
/// id in the answer and in its one log line, and no stack trace in the log beyond the minute's budget.
/// </summary>
[Collection(ObservabilityCollection.Name)]
public sealed class HostileInputTests
{
    /// <summary>Bytes no request message parses from: a length-delimited field whose length runs past the end, a truncated varint, an invalid tag.</summary>
    private static readonly byte[][] Garbage = [[0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F], [0x08, 0x80], [0x00, 0x01, 0x02]];

    [Fact]
    public async Task Every_rpc_answers_bytes_that_are_no_message_INVALID_ARGUMENT_with_a_correlation_id_found_in_its_log_line()
    {
        var log = new LogCapture();
        await using var host = await StartAsync(log);
        var tenant = ServerFixture.NewTenant();
        var before = log.Lines.Count;

        foreach (var rpc in ApiCall.Rpcs)
        {
            foreach (var garbage in Garbage)
            {
                var failure = await ApiCall.CallAsync(host.Channel.CreateCallInvoker(), rpc, [garbage], host.Credentials.Headers(tenant));

                var what = $"{ApiCall.FullName(rpc)} given {Convert.ToHexString(garbage)}";
                Assert.True(failure is { StatusCode: StatusCode.InvalidArgument }, $"{what}: {failure?.Status}");
                var status = failure!.GetRpcStatus();
                Assert.Equal("MALFORMED_REQUEST", status?.GetDetail<ErrorInfo>()?.Reason);
                var correlationId = status!.GetDetail<RequestInfo>()?.RequestId;
                Assert.False(string.IsNullOrEmpty(correlationId), $"{what}: no correlation id");
                var line = await log.WaitForAsync(l => l.Message.Contains(correlationId, StringComparison.Ordinal), $"with {correlationId}");
                Assert.Equal((LogLevel.Information, (Exception?)null), (line.Level, line.Exception));
            }
        }

        AssertNothingAtWarningOrAbove(log, before);
    }

    [Fact]
    public async Task Refusals_grpc_answers_itself_carry_a_correlation_id_found_in_their_log_line()
    {
        var log = new LogCapture();
        await using var host = await StartAsync(log, "Handoff:Api:MaxReceiveMessageSize=65536");
        var tenant = ServerFixture.NewTenant();
        var bytes = Marshallers.Create<byte[]>(b => b, b => b);
        var oversized = new GetContactRequest { TenantId = tenant, ContactId = new string('c', 70_000) }.ToByteArray();
        var unknown = new Method<byte[], byte[]>(MethodType.Unary, "handoff.v1.ContactService", "DropContact", bytes, bytes);
        var invoker = host.Channel.CreateCallInvoker();

        var tooBig = await ApiCall.CallAsync(invoker, ContactService.Descriptor.FindMethodByName("GetContact"), [oversized], host.Credentials.Headers(tenant));
        var missing = await RpcAssert.FailsAsync(StatusCode.Unimplemented,
            () => invoker.AsyncUnaryCall(unknown, null, new CallOptions(host.Credentials.Headers(tenant)), []).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, tooBig?.StatusCode);
        foreach (var failure in new[] { tooBig!, missing })
        {
            var correlationId = failure.GetRpcStatus()?.GetDetail<RequestInfo>()?.RequestId;
            Assert.False(string.IsNullOrEmpty(correlationId), $"{failure.Status}: no correlation id");
            await log.WaitForAsync(l => l.Message.Contains(correlationId, StringComparison.Ordinal), $"with {correlationId}");
        }
    }

    [Fact]
    public async Task A_garbage_frame_on_the_ingest_stream_ends_it_INVALID_ARGUMENT_after_the_batches_before_it_were_acknowledged()
    {
        var log = new LogCapture();
        await using var host = await StartAsync(log);
        var tenant = new TestTenant(host);
        var good = new IngestEventsRequest { TenantId = tenant.Id, BatchId = "good", Events = { new ProtoEvents("c-1").Opened(TimeSpan.FromMinutes(5)) } };
        var before = log.Lines.Count;

        var bytes = Marshallers.Create<byte[]>(b => b, b => b);
        var method = new Method<byte[], byte[]>(MethodType.DuplexStreaming, IngestService.Descriptor.FullName, "IngestEvents", bytes, bytes);
        using var call = host.Channel.CreateCallInvoker().AsyncDuplexStreamingCall(method, null, new CallOptions(tenant.Auth, DateTime.UtcNow + Streams.Patience));

        await call.RequestStream.WriteAsync(good.ToByteArray());
        var ack = IngestEventsResponse.Parser.ParseFrom(await call.ResponseStream.NextAsync());
        await call.RequestStream.WriteAsync(Garbage[0]);
        var failure = await RpcAssert.FailsAsync(StatusCode.InvalidArgument, () => call.ResponseStream.MoveNext(CancellationToken.None));

        Assert.Equal(("good", 1), (ack.BatchId, ack.AcceptedCount));
        Assert.Equal("MALFORMED_REQUEST", failure.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Reason);
        Assert.Equal(1, (await tenant.GetContactAsync("c-1")).Engagement.TotalEventCount);
        AssertNothingAtWarningOrAbove(log, before);
    }

    [Fact]
    public async Task A_client_that_cancels_or_resets_its_streams_is_logged_at_debug_and_leaves_no_warning_or_error()
    {
        var log = new LogCapture();
        await using var host = await StartAsync(log);
        var tenant = new TestTenant(host);
        var before = log.Lines.Count;

        // Ingest: one batch acknowledged, then the client cancels while the server waits for the next one.
        using (var cancel = new CancellationTokenSource())
        {
            using var ingest = host.Ingest.IngestEvents(tenant.Auth, cancellationToken: cancel.Token);
            await ingest.RequestStream.WriteAsync(new IngestEventsRequest
            {
                TenantId = tenant.Id, BatchId = "b-1", Events = { new ProtoEvents("c-1").Opened(TimeSpan.FromMinutes(5)) },
            });
            Assert.Equal("b-1", (await ingest.ResponseStream.NextAsync()).BatchId);
            await cancel.CancelAsync();
            await RpcAssert.FailsAsync(StatusCode.Cancelled, () => ingest.ResponseStream.MoveNext(CancellationToken.None));
        }

        await log.WaitForAsync(l => l.Level == LogLevel.Debug && l.Message.Contains("IngestEvents was cancelled by the client", StringComparison.Ordinal),
            "saying the ingest stream was cancelled");

        // Watch: the client drops the stream (HTTP/2 RST_STREAM) after its first heartbeat.
        var watch = host.Notifications.WatchNotifications(new WatchNotificationsRequest { TenantId = tenant.Id, Inbox = TestTenant.UnassignedInbox });
        await watch.ResponseStream.NextAsync();
        watch.Dispose();
        var inbox = host.Grains.Inbox(tenant.Id, new Grains.Notifications.InboxAddress(Grains.Notifications.InboxKind.Unassigned, ""));
        await Wait.UntilAsync(async () => await inbox.SubscriberCount() == 0, "the dropped watch to release its subscription");

        AssertNothingAtWarningOrAbove(log, before);
    }

    [Fact]
    public async Task A_flood_of_calls_during_a_database_outage_writes_no_more_stack_traces_than_the_budget_and_logs_every_answer()
    {
        const int Budget = 3;
        const int Calls = 20;
        await using var database = await RefusingDatabase.CreateAsync();
        var log = new LogCapture();
        var credentials = new TestCredentials();
        var host = await ServerHost.StartAsync(null, credentials, builder => builder.Logging.AddProvider(log),
        [
            .. ServerHost.PostgreSqlSettings(database.ConnectionString, "Handoff:Server:Storage:ApplySchema=true"),
            $"Handoff:Api:StackTracesPerMinute={Budget}",
        ]);
        try
        {
            var tenant = new TestTenant(host);
            await tenant.UpsertContactAsync("c-1");
            await database.RefuseAsync();
            var before = log.Lines.Count;

            var ids = new List<string>();
            for (var i = 0; i < Calls; i++)
            {
                var refused = await RpcAssert.FailsAsync(StatusCode.Unavailable,
                    () => tenant.IngestAsync([new ProtoEvents($"c-{i}").Opened(TimeSpan.FromMinutes(1))], $"during-{i}"));
                ids.Add(refused.GetRpcStatus()!.GetDetail<RequestInfo>().RequestId);
            }

            foreach (var id in ids)
            {
                await log.WaitForAsync(l => l.Message.Contains(id, StringComparison.Ordinal), $"answering {id}");
            }

            var traced = log.Lines.Skip(before).Where(l => l.Level >= LogLevel.Warning && l.Exception is not null).ToList();
            Assert.True(traced.Count <= Budget, $"{traced.Count} stack traces for {Calls} calls, budget {Budget}:\n{string.Join("\n", traced.Select(l => $"{l.Category}: {l.Message}"))}");
            Assert.Contains(log.Lines.Skip(before), l => l.Message.Contains("stack trace not written", StringComparison.Ordinal));
            var scrape = await PrometheusScrape.GetAsync(host.ManagementAddress);
            Assert.True(scrape.Sum("handoff_log_stack_traces_suppressed_total") >= Calls - Budget, scrape.Text);
        }
        finally
        {
            await database.AdmitAsync();
            await host.DisposeAsync();
        }
    }

    private static Task<ServerHost> StartAsync(LogCapture log, params string[] settings) =>
        ServerHost.StartAsync(null, new TestCredentials(), builder => builder.Logging.AddProvider(log),
            ["Logging:LogLevel:Handoff=Debug", "Handoff:Api:WatchHeartbeatInterval=00:00:00.200", .. settings]);

    /// <summary>
    /// Nothing a request could have caused at warning or above: no stack trace from anyone, no line from the API's own
    /// components. (Orleans' watchdog may warn of a starved CPU on a loaded machine; that is the machine, not the client.)
    /// </summary>
    private static void AssertNothingAtWarningOrAbove(LogCapture log, int after)
    {
        string[] api = ["Handoff", "Grpc", "Microsoft.AspNetCore"];
        var loud = log.Lines.Skip(after)
            .Where(l => l.Level >= LogLevel.Warning && (l.Exception is not null || api.Any(a => l.Category.StartsWith(a, StringComparison.Ordinal))))
            .ToList();
        Assert.True(loud.Count == 0, $"Logged at warning or above:\n{string.Join("\n", loud.Select(l => $"{l.Level} {l.Category}: {l.Message} {l.Exception}"))}");
    }
}
