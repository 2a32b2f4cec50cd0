using System.Net;
using Grpc.Core;
using Handoff.Protos.V1;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Handoff.Benchmarks;

/// <summary>
/// The raw gRPC limit: Kestrel serving IngestService (plain HTTP/2 on loopback, as the host does) in this process,
/// decoding each batch and acknowledging it at once, every event accepted. Nothing else.
/// </summary>
public sealed class RawGrpcServer : IAsyncDisposable
{
    private readonly WebApplication app;

    private RawGrpcServer(WebApplication app, string address)
    {
        this.app = app;
        Address = address;
    }

    public string Address { get; }

    public static async Task<RawGrpcServer> StartAsync()
    {
        var port = HostProcess.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        var app = builder.Build();
        app.MapGrpcService<AckOnlyIngestService>();
        await app.StartAsync();
        return new RawGrpcServer(app, $"http://127.0.0.1:{port}");
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

public sealed class AckOnlyIngestService : IngestService.IngestServiceBase
{
    public override async Task IngestEvents(IAsyncStreamReader<IngestEventsRequest> requestStream,
        IServerStreamWriter<IngestEventsResponse> responseStream, ServerCallContext context)
    {
        await foreach (var batch in requestStream.ReadAllAsync(context.CancellationToken))
        {
            await responseStream.WriteAsync(new IngestEventsResponse { BatchId = batch.BatchId, AcceptedCount = batch.Events.Count });
        }
    }

    public override Task<IngestBatchResponse> IngestBatch(IngestBatchRequest request, ServerCallContext context) =>
        Task.FromResult(new IngestBatchResponse { BatchId = request.BatchId, AcceptedCount = request.Events.Count });
}
