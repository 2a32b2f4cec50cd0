using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Handoff.Protos.V1;
using Handoff.Server.Tests.Support;

namespace Handoff.Server.Tests.Services;

/// <summary>IngestBatch and the IngestEvents stream: per-event rejection, idempotency by event_id, acks in order, batch limits.</summary>
[Collection(ServerCollection.Name)]
public sealed class IngestTests(ServerFixture fixture)
{
    private IngestService.IngestServiceClient Ingest => fixture.Host.Ingest;

    [Fact]
    public async Task A_mixed_batch_keeps_the_valid_events_and_names_each_rejected_one_by_index_id_and_field()
    {
        var tenant = new TestTenant(fixture.Host);
        var events = new ProtoEvents("c-1");
        var batch = new List<EngagementEvent>
        {
            events.Opened(TimeSpan.FromHours(1)),                                                       // 0: valid
            With(events.Opened(TimeSpan.FromHours(1)), e => e.EventId = ""),                            // 1
            With(events.Opened(TimeSpan.FromHours(1)), e => e.Type = EventType.Unspecified),            // 2
            With(events.Opened(TimeSpan.FromHours(1)), e => e.OccurTime = null),                        // 3
            With(events.Opened(TimeSpan.FromHours(1)), e => e.OccurTime = Timestamp.FromDateTimeOffset(events.Now.AddHours(1))), // 4: future
            events.Opened(TimeSpan.FromDays(8)),                                                        // 5: older than 7 days
            events.At(TimeSpan.FromHours(1), EventType.StageChanged),                                   // 6: no stage
            events.At(TimeSpan.FromMinutes(30), EventType.EmailClicked, Channel.Email),                 // 7: valid
            With(events.At(TimeSpan.FromMinutes(20), EventType.StageChanged), e => e.Stage = LifecycleStage.Opportunity), // 8: valid
        };

        var response = await tenant.IngestAsync(batch, "mixed");

        Assert.Equal("mixed", response.BatchId);
        Assert.Equal(3, response.AcceptedCount);
        Assert.Equal(0, response.DuplicateCount);
        (int Index, string Field)[] expected =
        [
            (1, "events[1].event_id"), (2, "events[2].type"), (3, "events[3].occur_time"),
            (4, "events[4].occur_time"), (5, "events[5].occur_time"), (6, "events[6].stage"),
        ];
        Assert.Equal(expected, response.Rejected.Select(r => (r.Index, r.Field)));
        Assert.All(response.Rejected, r =>
        {
            Assert.Equal(batch[r.Index].EventId, r.EventId);
            Assert.False(string.IsNullOrWhiteSpace(r.Reason));
        });
        Assert.Contains("future", response.Rejected.Single(r => r.Index == 4).Reason);

        var contact = await tenant.GetContactAsync("c-1");
        Assert.Equal(3, contact.Engagement.TotalEventCount);
        Assert.Equal(LifecycleStage.Opportunity, contact.Stage);

        // The pipeline sends the same batch again: nothing new, the valid events counted as duplicates.
        var again = await tenant.IngestAsync(batch, "mixed-again");
        Assert.Equal(0, again.AcceptedCount);
        Assert.Equal(3, again.DuplicateCount);
        Assert.Equal(expected, again.Rejected.Select(r => (r.Index, r.Field)));
        Assert.Equal(3, (await tenant.GetContactAsync("c-1")).Engagement.TotalEventCount);
    }

    [Fact]
    public async Task The_same_event_id_twice_in_one_batch_is_stored_once()
    {
        var tenant = new TestTenant(fixture.Host);
        var events = new ProtoEvents("c-1");
        var opened = events.Opened(TimeSpan.FromHours(2));
        var twin = With(events.At(TimeSpan.FromHours(1), EventType.EmailClicked, Channel.Email), e => e.EventId = opened.EventId);

        var response = await tenant.IngestAsync([opened, twin]);

        Assert.Equal(1, response.AcceptedCount);
        Assert.Equal(1, response.DuplicateCount);
        Assert.Empty(response.Rejected);
        Assert.Equal(1, (await tenant.GetContactAsync("c-1")).Engagement.TotalEventCount);
    }

    [Fact]
    public async Task The_same_batch_sent_three_times_at_once_is_stored_once()
    {
        var tenant = new TestTenant(fixture.Host);
        var events = new ProtoEvents("c-1");
        var batch = Enumerable.Range(1, 10).Select(i => events.Opened(TimeSpan.FromMinutes(i))).ToList();

        var responses = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => tenant.IngestAsync(batch)));

        Assert.Equal(10, responses.Sum(r => r.AcceptedCount));
        Assert.Equal(20, responses.Sum(r => r.DuplicateCount));
        Assert.Equal(10, (await tenant.GetContactAsync("c-1")).Engagement.TotalEventCount);
    }

    [Fact]
    public async Task A_batch_spread_over_several_contacts_stores_each_contacts_events()
    {
        var tenant = new TestTenant(fixture.Host);
        EngagementEvent[] batch =
        [
            new ProtoEvents("c-1").Opened(TimeSpan.FromHours(3)),
            new ProtoEvents("c-2").Opened(TimeSpan.FromHours(2)),
            new ProtoEvents("c-1").Opened(TimeSpan.FromHours(1)),
        ];

        var response = await tenant.IngestAsync(batch);

        Assert.Equal(3, response.AcceptedCount);
        Assert.Equal(2, (await tenant.GetContactAsync("c-1")).Engagement.TotalEventCount);
        Assert.Equal(1, (await tenant.GetContactAsync("c-2")).Engagement.TotalEventCount);
    }

    [Fact]
    public async Task The_stream_acknowledges_each_batch_in_order_with_its_batch_id()
    {
        var tenant = new TestTenant(fixture.Host);
        var events = new ProtoEvents("c-1");
        using var call = Ingest.IngestEvents(tenant.Auth, deadline: DateTime.UtcNow + Streams.Patience);

        // Three batches of 1, 2 and 3 events go out before any ack is read.
        for (var i = 1; i <= 3; i++)
        {
            var request = new IngestEventsRequest { TenantId = tenant.Id, BatchId = $"b-{i}" };
            request.Events.AddRange(Enumerable.Range(0, i).Select(n => events.Opened(TimeSpan.FromMinutes(10 * i + n))));
            await call.RequestStream.WriteAsync(request);
        }

        await call.RequestStream.CompleteAsync();

        for (var i = 1; i <= 3; i++)
        {
            var ack = await call.ResponseStream.NextAsync();
            Assert.Equal($"b-{i}", ack.BatchId);
            Assert.Equal(i, ack.AcceptedCount);
            Assert.Equal(0, ack.DuplicateCount);
            Assert.Empty(ack.Rejected);
        }

        await call.ResponseStream.EndsAsync();
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
        Assert.Equal(6, (await tenant.GetContactAsync("c-1")).Engagement.TotalEventCount);
    }

    [Fact]
    public async Task The_stream_acknowledges_one_batch_before_the_next_is_sent()
    {
        var tenant = new TestTenant(fixture.Host);
        var events = new ProtoEvents("c-1");
        using var call = Ingest.IngestEvents(tenant.Auth, deadline: DateTime.UtcNow + Streams.Patience);
        var first = events.Opened(TimeSpan.FromHours(1));

        await call.RequestStream.WriteAsync(new IngestEventsRequest { TenantId = tenant.Id, BatchId = "one", Events = { first } });
        var ack1 = await call.ResponseStream.NextAsync();
        // The ack means durable: the event is visible before the stream goes on.
        Assert.Equal(1, (await tenant.GetContactAsync("c-1")).Engagement.TotalEventCount);

        await call.RequestStream.WriteAsync(new IngestEventsRequest { TenantId = tenant.Id, BatchId = "two", Events = { first, events.Opened(TimeSpan.FromMinutes(5)) } });
        var ack2 = await call.ResponseStream.NextAsync();
        await call.RequestStream.CompleteAsync();
        await call.ResponseStream.EndsAsync();

        Assert.Equal(("one", 1, 0), (ack1.BatchId, ack1.AcceptedCount, ack1.DuplicateCount));
        Assert.Equal(("two", 1, 1), (ack2.BatchId, ack2.AcceptedCount, ack2.DuplicateCount));
    }

    [Fact]
    public async Task A_client_that_reconnects_and_sends_its_batches_again_has_every_event_counted_once()
    {
        var tenant = new TestTenant(fixture.Host);
        var batches = Enumerable.Range(0, 6).Select(b =>
        {
            var request = new IngestEventsRequest { TenantId = tenant.Id, BatchId = $"b-{b}" };
            request.Events.AddRange(Enumerable.Range(0, 5).Select(n => new ProtoEvents($"c-{n}").Opened(TimeSpan.FromMinutes(10 * b + n))));
            return request;
        }).ToList();

        // The first connection sends everything and drops after two acknowledgements.
        using (var cancel = new CancellationTokenSource())
        {
            using var call = Ingest.IngestEvents(tenant.Auth, deadline: DateTime.UtcNow + Streams.Patience, cancellationToken: cancel.Token);
            foreach (var batch in batches)
            {
                await call.RequestStream.WriteAsync(batch);
            }

            Assert.Equal("b-0", (await call.ResponseStream.NextAsync()).BatchId);
            Assert.Equal("b-1", (await call.ResponseStream.NextAsync()).BatchId);
            await cancel.CancelAsync();
        }

        // The second sends every batch again; each event is acknowledged as new or as sent before.
        using (var call = Ingest.IngestEvents(tenant.Auth, deadline: DateTime.UtcNow + Streams.Patience))
        {
            foreach (var batch in batches)
            {
                await call.RequestStream.WriteAsync(batch);
            }

            await call.RequestStream.CompleteAsync();
            foreach (var batch in batches)
            {
                var ack = await call.ResponseStream.NextAsync();
                Assert.Equal(batch.BatchId, ack.BatchId);
                Assert.Equal(batch.Events.Count, ack.AcceptedCount + ack.DuplicateCount);
                if (batch.BatchId is "b-0" or "b-1")
                {
                    Assert.Equal(0, ack.AcceptedCount);
                }
            }

            await call.ResponseStream.EndsAsync();
        }

        for (var n = 0; n < 5; n++)
        {
            Assert.Equal(6, (await tenant.GetContactAsync($"c-{n}")).Engagement.TotalEventCount);
        }
    }

    [Fact]
    public async Task A_batch_over_the_limit_is_refused_whole_and_stores_nothing()
    {
        var tenant = new TestTenant(fixture.Host);
        var events = new ProtoEvents("big");
        var request = new IngestBatchRequest { TenantId = tenant.Id, BatchId = "too-big" };
        request.Events.AddRange(Enumerable.Range(0, 1001).Select(i => events.Opened(TimeSpan.FromSeconds(i))));

        await RpcAssert.InvalidArgumentAsync("events", () => Ingest.IngestBatchAsync(request).ResponseAsync);

        // Not one event made it: the contact the events were for was never created.
        await RpcAssert.FailsAsync(StatusCode.NotFound, () => tenant.GetContactAsync("big"));

        // Exactly at the limit is fine.
        request.Events.RemoveAt(1000);
        var accepted = await Ingest.IngestBatchAsync(request);
        Assert.Equal(1000, accepted.AcceptedCount);
    }

    [Fact]
    public async Task A_batch_over_the_limit_on_the_stream_fails_it_after_the_earlier_batches_were_acknowledged()
    {
        var tenant = new TestTenant(fixture.Host);
        var events = new ProtoEvents("c-1");
        using var call = Ingest.IngestEvents(tenant.Auth, deadline: DateTime.UtcNow + Streams.Patience);
        await call.RequestStream.WriteAsync(new IngestEventsRequest { TenantId = tenant.Id, BatchId = "ok", Events = { events.Opened(TimeSpan.FromHours(1)) } });
        Assert.Equal("ok", (await call.ResponseStream.NextAsync()).BatchId);

        var oversized = new IngestEventsRequest { TenantId = tenant.Id, BatchId = "too-big" };
        oversized.Events.AddRange(Enumerable.Range(0, 1001).Select(i => new ProtoEvents("other").Opened(TimeSpan.FromSeconds(i))));
        await RpcAssert.InvalidArgumentAsync("events", async () =>
        {
            await call.RequestStream.WriteAsync(oversized);
            await call.ResponseStream.MoveNext(CancellationToken.None);
        });

        Assert.Equal(1, (await tenant.GetContactAsync("c-1")).Engagement.TotalEventCount);
        await RpcAssert.FailsAsync(StatusCode.NotFound, () => tenant.GetContactAsync("other"));
    }

    [Fact]
    public async Task An_empty_batch_is_acknowledged_with_zeros()
    {
        var tenant = new TestTenant(fixture.Host);

        var unary = await Ingest.IngestBatchAsync(new IngestBatchRequest { TenantId = tenant.Id, BatchId = "empty-1" });
        Assert.Equal(("empty-1", 0, 0, 0), (unary.BatchId, unary.AcceptedCount, unary.DuplicateCount, unary.Rejected.Count));

        using var call = Ingest.IngestEvents(tenant.Auth, deadline: DateTime.UtcNow + Streams.Patience);
        await call.RequestStream.WriteAsync(new IngestEventsRequest { TenantId = tenant.Id, BatchId = "empty-2" });
        await call.RequestStream.CompleteAsync();
        var ack = await call.ResponseStream.NextAsync();
        Assert.Equal(("empty-2", 0, 0, 0), (ack.BatchId, ack.AcceptedCount, ack.DuplicateCount, ack.Rejected.Count));
        await call.ResponseStream.EndsAsync();
    }

    private static EngagementEvent With(EngagementEvent e, Action<EngagementEvent> change)
    {
        change(e);
        return e;
    }
}
