using Grpc.Core;
using Handoff.Protos.V1;
using Handoff.Server.Ingest;

namespace Handoff.Server.Services;

public sealed class IngestGrpcService(IngestPipeline pipeline, IHostApplicationLifetime lifetime) : IngestService.IngestServiceBase
{
    public override async Task<IngestBatchResponse> IngestBatch(IngestBatchRequest request, ServerCallContext context)
    {
        var outcome = await pipeline.ProcessAsync(request.TenantId, request.Events);
        var response = new IngestBatchResponse
        {
            BatchId = request.BatchId,
            AcceptedCount = outcome.Accepted,
            DuplicateCount = outcome.Duplicates,
        };
        response.Rejected.AddRange(outcome.Rejected);
        return response;
    }

    /// <summary>Batches are processed one after another, so acknowledgements leave in the order the batches came.</summary>
    public override async Task IngestEvents(IAsyncStreamReader<IngestEventsRequest> requestStream,
        IServerStreamWriter<IngestEventsResponse> responseStream, ServerCallContext context)
    {
        // When the server begins to stop, the stream ends after the batch in hand; the client sends what was not
        // acknowledged to another server.
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        while (await ReadNextAsync(requestStream, reading.Token) is { } batch)
        {
            var outcome = await pipeline.ProcessAsync(batch.TenantId, batch.Events);
            var ack = new IngestEventsResponse
            {
                BatchId = batch.BatchId,
                AcceptedCount = outcome.Accepted,
                DuplicateCount = outcome.Duplicates,
            };
            ack.Rejected.AddRange(outcome.Rejected);
            await responseStream.WriteAsync(ack, context.CancellationToken);
        }
    }

    private async Task<IngestEventsRequest?> ReadNextAsync(IAsyncStreamReader<IngestEventsRequest> requestStream, CancellationToken cancellationToken)
    {
        try
        {
            return await requestStream.MoveNext(cancellationToken) ? requestStream.Current : null;
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, "This server is shutting down; send the unacknowledged batches to another one."));
        }
    }
}
