using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Handoff.Grains.Concurrency;
using Handoff.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Handoff.Server.Ingest;

/// <summary>
/// The server-wide bound on batches in process (<see cref="IngestOptions.MaxBatchesInFlight"/>): a batch holds a place
/// from admission until its acknowledgement is ready, so memory stays bounded however many clients send.
/// </summary>
public sealed class IngestAdmission(IOptions<IngestOptions> options) : IDisposable
{
    private readonly SemaphoreSlim places = new(options.Value.MaxBatchesInFlight, options.Value.MaxBatchesInFlight);

    /// <summary>A stream's batch: waits for a place (the stream is not read meanwhile, so the sender slows).</summary>
    public async Task<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        await places.WaitAsync(cancellationToken);
        return new SemaphorePlace(places);
    }

    /// <summary>A unary batch: waits <see cref="IngestOptions.AdmissionWait"/> at most, then RESOURCE_EXHAUSTED with a retry hint.</summary>
    public async Task<IDisposable> EnterOrRefuseAsync(CancellationToken cancellationToken)
    {
        var wait = options.Value.AdmissionWait;
        if (await places.WaitAsync(wait, cancellationToken))
        {
            return new SemaphorePlace(places);
        }

        var status = new Google.Rpc.Status
        {
            Code = (int)Code.ResourceExhausted,
            Message = $"This server is processing {options.Value.MaxBatchesInFlight} batches; send this one again after the suggested delay.",
            Details = { Any.Pack(new RetryInfo { RetryDelay = Duration.FromTimeSpan(options.Value.RetryAfter) }) },
        };
        throw status.ToRpcException();
    }

    public void Dispose() => places.Dispose();
}
