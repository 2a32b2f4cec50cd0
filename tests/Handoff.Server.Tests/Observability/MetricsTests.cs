using System.Net;
using Grpc.Core;
using Handoff.Protos.V1;
using Handoff.Server.Ingest;
using Handoff.Server.Tests.Support;
using Handoff.Storage;

namespace Handoff.Server.Tests.Observability;

/// <summary>
/// The metrics a Prometheus server scrapes from the real host: the Handoff instruments with the values the calls
/// made, and Orleans' own activation and storage instruments. Each test has a host of its own, so counts are exact.
/// </summary>
[Collection(ObservabilityCollection.Name)]
public sealed class MetricsTests
{
    private const string Events = "handoff_ingest_events_total";
    private const string Batches = "handoff_ingest_batches_total";
    private const string Raised = "handoff_cards_raised_total";
    private const string Resolved = "handoff_cards_resolved_total";
    private const string Active = "handoff_cards_active";
    private const string StorageWrites = "orleans_storage_write_latency_milliseconds_count";
    private const string StorageReads = "orleans_storage_read_latency_milliseconds_count";

    [Fact]
    public async Task Ingest_outcomes_and_card_transitions_are_counted_and_scraped_from_the_management_listener()
    {
        await using var host = await ServerHost.StartAsync();
        var tenant = new TestTenant(host);
        await tenant.UpsertContactAsync("c-1", owner: "alice");
        var events = new ProtoEvents("c-1").RisingBuyer().ToList();
        var invalid = new ProtoEvents("c-1").Opened(TimeSpan.FromHours(1));
        invalid.Type = EventType.Unspecified;

        // 10 new events, one of them sent twice in the batch, one invalid event; then a batch refused whole.
        var ack = await tenant.IngestAsync([.. events, events[0], invalid], "b-1");
        Assert.Equal((10, 1, 1), (ack.AcceptedCount, ack.DuplicateCount, ack.Rejected.Count));
        var refused = await Assert.ThrowsAsync<RpcException>(() => host.Ingest.IngestBatchAsync(new IngestBatchRequest { TenantId = tenant.Id, BatchId = new string('b', 300) }).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        var card = (await tenant.GetContactAsync("c-1")).Card;
        Assert.Equal(CardStatus.Active, card.Status);

        var scrape = await PrometheusScrape.UntilAsync(host.ManagementAddress, s => s.Value(Raised) == 1, "the card raised");
        Assert.Equal(10, scrape.Value(Events, ("outcome", "accepted")));
        Assert.Equal(1, scrape.Value(Events, ("outcome", "duplicate")));
        Assert.Equal(1, scrape.Value(Events, ("outcome", "rejected")));
        Assert.Equal(1, scrape.Value(Batches, ("outcome", "acknowledged")));
        Assert.Equal(1, scrape.Value(Batches, ("outcome", "rejected")));
        Assert.Null(scrape.Value(Batches, ("outcome", "failed")));
        Assert.Equal(1, scrape.Value("handoff_ingest_ack_duration_seconds_count"));
        var ackSeconds = scrape.Value("handoff_ingest_ack_duration_seconds_sum");
        Assert.InRange(ackSeconds ?? -1, 1e-6, Streams.Patience.TotalSeconds);
        Assert.Equal(1, scrape.Value(Active));
        Assert.Equal(0, scrape.Value(Resolved) ?? 0);

        // One batch, acknowledged: nothing in process or waiting at the door, and the limit where it starts.
        Assert.Equal(new AdaptiveLimitOptions().InitialLimit, scrape.Value("handoff_ingest_admission_limit"));
        Assert.Equal(0, scrape.Value("handoff_ingest_admission_in_flight"));
        Assert.Equal(0, scrape.Value("handoff_ingest_admission_waiting"));

        await host.Handoffs.ResumeAutomationAsync(new ResumeAutomationRequest { TenantId = tenant.Id, ContactId = "c-1", CardId = card.CardId, ActorUserId = "alice" });

        scrape = await PrometheusScrape.UntilAsync(host.ManagementAddress, s => s.Value(Resolved) == 1, "the card resolved");
        Assert.Equal(1, scrape.Value(Raised));
        Assert.Equal(0, scrape.Value(Active));
    }

    [Fact]
    public async Task Orleans_grain_activations_and_storage_latency_are_exported_alongside()
    {
        await using var host = await ServerHost.StartAsync();
        await new TestTenant(host).RaiseCardAsync("c-1", owner: "alice");

        // Orleans' meter is one per process: other hosts of the test run may add to it, hence sums and "at least".
        var contact = ("grain_type", "contact");
        (string, string)[] contactState = [("state_name", "contact"), ("provider_type_name", nameof(StateTakenAtWriteGrainStorage))];
        var scrape = await PrometheusScrape.UntilAsync(host.ManagementAddress,
            s => s.Sum("orleans_grains", contact) >= 1 && s.Sum(StorageWrites, contactState) >= 1 && s.Sum(StorageReads, contactState) >= 1,
            "a contact grain active and its state read and written");

        Assert.True(scrape.Sum("orleans_catalog_activations", contact) >= 1, scrape.Text);
        Assert.True(scrape.Sum("orleans_catalog_activation_created_total", contact) >= 1, scrape.Text);
        Assert.True(scrape.Sum("orleans_storage_write_latency_milliseconds_sum", contactState) > 0, scrape.Text);
    }

    [Fact]
    public async Task The_metrics_are_served_on_the_management_listener_only()
    {
        await using var host = await ServerHost.StartAsync();
        using var http2 = new HttpClient { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact, Timeout = Streams.Patience };
        using var http1 = new HttpClient { Timeout = Streams.Patience };

        using var onGrpc = await http2.GetAsync(new Uri(host.GrpcAddress, "/metrics"));
        using var onGrpcWeb = await http1.GetAsync(new Uri(host.GrpcWebAddress, "/metrics"));
        // The management listener serves operators only: the API is not reachable through it.
        using var apiOnManagement = await http1.PostAsync(new Uri(host.ManagementAddress, "/handoff.v1.ContactService/GetContact"),
            new ByteArrayContent([0, 0, 0, 0, 0]) { Headers = { { "content-type", "application/grpc-web" } } });

        Assert.False(onGrpc.IsSuccessStatusCode, $"/metrics on the gRPC listener answered {onGrpc.StatusCode}");
        Assert.False(onGrpcWeb.IsSuccessStatusCode, $"/metrics on the gRPC-Web listener answered {onGrpcWeb.StatusCode}");
        Assert.DoesNotContain("target_info", await onGrpcWeb.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, apiOnManagement.StatusCode);
        Assert.Contains("target_info", (await PrometheusScrape.GetAsync(host.ManagementAddress)).Text, StringComparison.Ordinal);
    }
}
