using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using Grpc.Core;
using Handoff.Protos.V1;
using Handoff.Server.Hosting;
using Handoff.Server.Ingest;
using Handoff.Server.Limits;
using Handoff.Server.Mapping;
using Handoff.Server.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Handoff.Server.Services;

public sealed class IngestGrpcService(IngestPipeline pipeline, IngestAdmission admission, CallerLimits limits, IOptions<IngestOptions> options,
    IHostApplicationLifetime lifetime) : IngestService.IngestServiceBase
{
    [Authorize(Policy = HandoffPolicies.Ingest)]
    public override async Task<IngestBatchResponse> IngestBatch(IngestBatchRequest request, ServerCallContext context)
    {
        limits.Events(context.Caller(), request.Events.Count);
        using var place = await admission.EnterOrRefuseAsync(request.Events.Count, context.CancellationToken);
        var outcome = await pipeline.ProcessAsync(request.TenantId, request.BatchId, request.Events);
        return outcome.ToBatchResponse(request.BatchId);
    }

    /// <summary>
    /// Up to <see cref="IngestOptions.MaxBatchesInFlightPerStream"/> batches of the stream are processed at once, each
    /// holding a server-wide place (<see cref="IngestAdmission"/>); their acknowledgements leave in the order the
    /// batches came, written by one loop (the response stream takes one writer). When the stream's batches in process
    /// are at the limit, or the server's are, the stream is not read, and HTTP/2 flow control slows the sender. A batch
    /// that cannot be taken (past the caller's event rate, another tenant's, not a valid message) ends the stream with
    /// its error once the batches before it are acknowledged.
    /// </summary>
    [Authorize(Policy = HandoffPolicies.Ingest)]
    public override async Task IngestEvents(IAsyncStreamReader<IngestEventsRequest> requestStream,
        IServerStreamWriter<IngestEventsResponse> responseStream, ServerCallContext context)
    {
        var acks = System.Threading.Channels.Channel.CreateBounded<Task<IngestEventsResponse>>(new BoundedChannelOptions(options.Value.MaxBatchesInFlightPerStream)
        {
            SingleReader = true,
            SingleWriter = true,
        });
        // Reading stops when the client cancels, when the server begins to stop (the stream ends after the batches in
        // hand; the client sends what was not acknowledged to another server) or when a batch failed.
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        var writer = WriteAcksInOrderAsync(acks.Reader, responseStream, reading, context.CancellationToken);
        var caller = context.Caller();
        var stopping = false;
        ExceptionDispatchInfo? refused = null;
        try
        {
            while (await requestStream.MoveNext(reading.Token))
            {
                var batch = requestStream.Current;
                limits.Events(caller, batch.Events.Count);
                await acks.Writer.WaitToWriteAsync(reading.Token);
                var place = await admission.EnterAsync(batch.Events.Count, reading.Token);
                await acks.Writer.WriteAsync(ProcessAsync(batch, place), reading.Token);
            }
        }
        catch (OperationCanceledException) when (writer.IsFaulted)
        {
            // The failed batch's error ends the stream, below.
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
        {
            stopping = true;
        }
        catch (Exception e) when (!context.CancellationToken.IsCancellationRequested)
        {
            refused = ExceptionDispatchInfo.Capture(e);
        }
        finally
        {
            acks.Writer.TryComplete();
        }

        // The acknowledgements of the batches taken go out first; an error of one of them comes before a refusal after them.
        await writer;
        refused?.Throw();
        if (stopping)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, "This server is shutting down; send the unacknowledged batches to another one."));
        }
    }

    private async Task<IngestEventsResponse> ProcessAsync(IngestEventsRequest batch, IDisposable place)
    {
        using (place)
        {
            var outcome = await pipeline.ProcessAsync(batch.TenantId, batch.BatchId, batch.Events);
            return outcome.ToStreamAck(batch.BatchId);
        }
    }

    /// <summary>A batch that fails ends the stream with its error, after the acknowledgements of the batches before it.</summary>
    private static async Task WriteAcksInOrderAsync(ChannelReader<Task<IngestEventsResponse>> acks,
        IServerStreamWriter<IngestEventsResponse> responseStream, CancellationTokenSource reading, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var ack in acks.ReadAllAsync(cancellationToken))
            {
                await responseStream.WriteAsync(await ack, cancellationToken);
            }
        }
        catch
        {
            await reading.CancelAsync();
            throw;
        }
    }
}
