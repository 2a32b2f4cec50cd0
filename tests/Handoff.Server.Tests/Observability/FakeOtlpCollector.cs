using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace Handoff.Server.Tests.Observability;

/// <summary>What the collector received: the path, the content type and the raw body.</summary>
public sealed record OtlpRequest(string Path, string? ContentType, byte[] Body)
{
    /// <summary>Whether the protobuf body carries <paramref name="text"/> (names are plain UTF-8 strings on the wire).</summary>
    public bool Carries(string text) => Body.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;
}

/// <summary>
/// A stand-in for an OpenTelemetry collector: a real Kestrel app on a free loopback port that accepts OTLP metric
/// exports, over HTTP/1.1 with protobuf bodies (POST /v1/metrics) or over gRPC (HTTP/2 without TLS), and records them.
/// </summary>
public sealed class FakeOtlpCollector : IAsyncDisposable
{
    public const string GrpcExportPath = "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export";

    private readonly ConcurrentQueue<OtlpRequest> requests = new();
    private readonly SemaphoreSlim arrived = new(0);
    private WebApplication? app;

    private FakeOtlpCollector()
    {
    }

    /// <summary>The endpoint to configure: http://127.0.0.1:port (no path).</summary>
    public Uri Endpoint { get; private set; } = null!;

    public IReadOnlyList<OtlpRequest> Requests => [.. requests];

    public static async Task<FakeOtlpCollector> StartAsync(bool grpc)
    {
        var collector = new FakeOtlpCollector();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = grpc ? HttpProtocols.Http2 : HttpProtocols.Http1));
        var app = builder.Build();
        app.Run(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            collector.requests.Enqueue(new OtlpRequest(context.Request.Path, context.Request.ContentType, body.ToArray()));
            collector.arrived.Release();
            if (grpc)
            {
                // An empty ExportMetricsServiceResponse in a gRPC frame (no compression, length 0), then status OK.
                context.Response.ContentType = "application/grpc";
                await context.Response.Body.WriteAsync(new byte[5], context.RequestAborted);
                context.Response.AppendTrailer("grpc-status", "0");
            }
            else
            {
                context.Response.ContentType = "application/x-protobuf";
            }
        });
        await app.StartAsync();
        collector.app = app;
        collector.Endpoint = new Uri(app.Urls.Single());
        return collector;
    }

    /// <summary>Waits until a request satisfying <paramref name="condition"/> has arrived; fails when the deadline passes.</summary>
    public async Task<OtlpRequest> WaitForAsync(Func<OtlpRequest, bool> condition, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            if (requests.FirstOrDefault(condition) is { } found)
            {
                return found;
            }

            try
            {
                await arrived.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"No matching export arrived within {timeout}; {requests.Count} requests to {string.Join(", ", requests.Select(r => r.Path).Distinct())}.");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        arrived.Dispose();
    }
}
