using System.Net;
using Handoff.Server.Hosting;
using Handoff.Server.Tests.Support;

namespace Handoff.Server.Tests.Observability;

/// <summary>With Handoff:Observability:OtlpEndpoint set, the host pushes its metrics to that collector.</summary>
[Collection(ObservabilityCollection.Name)]
public sealed class OtlpExportTests
{
    [Theory]
    [InlineData("HttpProtobuf")]
    [InlineData("Grpc")]
    public async Task The_host_pushes_its_metrics_to_the_configured_OTLP_collector(string protocol)
    {
        var grpc = protocol == "Grpc";
        await using var collector = await FakeOtlpCollector.StartAsync(grpc);
        await using var host = await ServerHost.StartAsync(null,
            $"Handoff:Observability:OtlpEndpoint={collector.Endpoint}",
            $"Handoff:Observability:OtlpProtocol={protocol}",
            "Handoff:Observability:OtlpExportInterval=00:00:00.200",
            "Handoff:Observability:Prometheus=false");
        var tenant = new TestTenant(host);

        await tenant.IngestAsync([new ProtoEvents("c-1").Opened(TimeSpan.FromHours(1))]);

        var export = await collector.WaitForAsync(r => r.Carries("handoff.ingest.events"), Streams.Patience);
        Assert.Equal(grpc ? FakeOtlpCollector.GrpcExportPath : "/v1/metrics", export.Path);
        Assert.Equal(grpc ? "application/grpc" : "application/x-protobuf", export.ContentType);
        Assert.True(export.Carries("handoff.ingest.ack.duration"));
        Assert.True(export.Carries("service.name") && export.Carries("handoff"));

        // Prometheus off: nothing is served at /metrics.
        using var http = new HttpClient { Timeout = Streams.Patience };
        using var scrape = await http.GetAsync(new Uri(host.ManagementAddress, "/metrics"));
        Assert.Equal(HttpStatusCode.NotFound, scrape.StatusCode);
    }

    [Theory]
    [InlineData("Handoff:Observability:OtlpEndpoint=otel-collector:4317", "OtlpEndpoint")]
    [InlineData("Handoff:Observability:OtlpEndpoint=ftp://otel-collector", "OtlpEndpoint")]
    public void An_OTLP_endpoint_that_is_not_an_http_URL_stops_the_start_naming_the_setting(string setting, string named)
    {
        var refused = Assert.Throws<HandoffStartupException>(() => HandoffServer.Build(["--" + setting]));

        Assert.Contains($"Handoff:Observability:{named}", refused.Message, StringComparison.Ordinal);
    }
}
