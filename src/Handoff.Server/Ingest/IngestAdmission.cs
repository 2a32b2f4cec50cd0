using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Handoff.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Handoff.Server.Ingest;

/// <summary>
/// The door of the ingest path: a batch holds a place from admission until its acknowledgement is ready, and the number
/// of places follows the server's latency (<see cref="GradientConcurrencyLimit"/>, at most
/// <see cref="IngestOptions.MaxBatchesInFlight"/>), so that work queues here, first come first served, and not inside the
/// grains, where a salesperson's read would wait behind it. Memory stays bounded however many clients send.
/// </summary>
public sealed class IngestAdmission
{
    private readonly Lock gate = new();
    private readonly LinkedList<Waiter> waiting = new();
    private readonly GradientConcurrencyLimit limit;
    private readonly IngestOptions options;
    private readonly TimeProvider time;
    private int inFlight;

    public IngestAdmission(IOptions<IngestOptions> options, IOptions<AdaptiveLimitOptions> adaptive, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(adaptive);
        this.options = options.Value;
        this.time = time;
        limit = new GradientConcurrencyLimit(adaptive.Value, this.options.MaxBatchesInFlight);
    }

    /// <summary>Batches that may be in process at once now.</summary>
    public int Limit
    {
        get
        {
            lock (gate)
            {
                return limit.Current;
            }
        }
    }

    /// <summary>Batches holding a place now.</summary>
    public int InFlight
    {
        get
        {
            lock (gate)
            {
                return inFlight;
            }
        }
    }

    /// <summary>Batches waiting at the door for a place now.</summary>
    public int Waiting
    {
        get
        {
            lock (gate)
            {
                return waiting.Count;
            }
        }
    }

    /// <summary>A stream's batch of <paramref name="events"/> events: waits for a place (the stream is not read meanwhile, so the sender slows).</summary>
    public Task<IDisposable> EnterAsync(int events, CancellationToken cancellationToken) => WaitForPlaceAsync(events, cancellationToken);

    /// <summary>A unary batch: waits <see cref="IngestOptions.AdmissionWait"/> at most, then RESOURCE_EXHAUSTED with a retry hint.</summary>
    public async Task<IDisposable> EnterOrRefuseAsync(int events, CancellationToken cancellationToken)
    {
        using var waited = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        waited.CancelAfter(options.AdmissionWait);
        try
        {
            return await WaitForPlaceAsync(events, waited.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            var status = new Google.Rpc.Status
            {
                Code = (int)Code.ResourceExhausted,
                Message = $"This server is processing as many batches as it can take now ({Limit}); send this one again after the suggested delay.",
                Details = { Any.Pack(new RetryInfo { RetryDelay = Duration.FromTimeSpan(options.RetryAfter) }) },
            };
            throw status.ToRpcException();
        }
    }

    private Task<IDisposable> WaitForPlaceAsync(int events, CancellationToken cancellationToken)
    {
        Waiter waiter;
        LinkedListNode<Waiter> node;
        lock (gate)
        {
            if (waiting.Count == 0 && inFlight < limit.Current)
            {
                return Task.FromResult<IDisposable>(Grant(events));
            }

            cancellationToken.ThrowIfCancellationRequested();
            waiter = new Waiter(events);
            node = waiting.AddLast(waiter);
        }

        waiter.Cancellation = cancellationToken.Register(() =>
        {
            lock (gate)
            {
                // Granted meanwhile: the place is the waiter's, and its holder gives it back.
                if (node.List is null)
                {
                    return;
                }

                waiting.Remove(node);
            }

            waiter.Place.TrySetCanceled(cancellationToken);
        });
        return waiter.Place.Task;
    }

    /// <summary>Called under the gate.</summary>
    private Place Grant(int events) => new(this, events, ++inFlight, time.GetTimestamp());

    private void Release(Place place)
    {
        List<(Waiter Waiter, Place Place)>? granted = null;
        lock (gate)
        {
            inFlight--;
            limit.Record(time.GetElapsedTime(place.AdmittedAt), place.Events, place.InFlightWhenAdmitted);
            while (waiting.First is { } first && inFlight < limit.Current)
            {
                waiting.RemoveFirst();
                (granted ??= []).Add((first.Value, Grant(first.Value.Events)));
            }
        }

        // Completed outside the gate: a waiter's continuation may take the gate itself.
        foreach (var (waiter, next) in granted ?? [])
        {
            waiter.Cancellation.Dispose();
            waiter.Place.SetResult(next);
        }
    }

    private sealed class Waiter(int events)
    {
        public int Events { get; } = events;

        public TaskCompletionSource<IDisposable> Place { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CancellationTokenRegistration Cancellation { get; set; }
    }

    /// <summary>A place taken; given back once however often it is disposed, and measured when it is.</summary>
    private sealed class Place(IngestAdmission admission, int events, int inFlightWhenAdmitted, long admittedAt) : IDisposable
    {
        private int released;

        public int Events { get; } = events;

        public int InFlightWhenAdmitted { get; } = inFlightWhenAdmitted;

        public long AdmittedAt { get; } = admittedAt;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                admission.Release(this);
            }
        }
    }
}
