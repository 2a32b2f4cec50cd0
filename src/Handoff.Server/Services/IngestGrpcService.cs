using Grpc.Core;
using Handoff.Protos.V1;
using Handoff.Server.Ingest;

namespace Handoff.Server.Services;

public sealed class IngestGrpcService(IngestPipeline pipeline) : IngestService.IngestServiceBase
{
    public override async Task<IngestBatchResponse> IngestBatch(IngestBatchRequest request, ServerCallContext context)
    {
        pipeline.ValidateBatch(request.TenantId, request.Events.Count);
        var outcome = await pipeline.IngestAsync(request.TenantId, request.Events);
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
        await foreach (var batch in requestStream.ReadAllAsync(context.CancellationToken))
        {
            pipeline.ValidateBatch(batch.TenantId, batch.Events.Count);
            var outcome = await pipeline.IngestAsync(batch.TenantId, batch.Events);
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
}
