using System.Collections.Concurrent;
using System.Diagnostics;
using Grpc.Core;
using Handoff.Protos.V1;

namespace Handoff.Cluster.Tests.Support;

/// <summary>
/// A load client as an ingest pipeline would run it: several workers send batches round-robin over the silos and
/// retry every batch that was not acknowledged, on another silo, until it is. It records what was acknowledged.
/// </summary>
public sealed class IngestClient(IReadOnlyList<SiloProcess> silos, int workers, TimeSpan callTimeout, int maxAttempts)
{
    private readonly ConcurrentDictionary<string, ConcurrentBag<string>> acknowledgedByContact = new();
    private readonly ConcurrentDictionary<SiloProcess, bool> avoided = new();
    private readonly ConcurrentQueue<(string Silo, StatusCode Code, string Detail)> failures = new();
    private long acknowledgedBatches;
    private long acknowledgedEvents;
    private long failedAttempts;
    private int nextSilo;

    public long AcknowledgedBatches => Interlocked.Read(ref acknowledgedBatches);

    public long AcknowledgedEvents => Interlocked.Read(ref acknowledgedEvents);

    /// <summary>Calls that failed and were retried elsewhere.</summary>
    public long FailedAttempts => Interlocked.Read(ref failedAttempts);

    /// <summary>Every failed call: the silo it went to, and the status it failed with.</summary>
    public IReadOnlyCollection<(string Silo, StatusCode Code, string Detail)> Failures => failures;

    public IReadOnlyDictionary<string, int> AcknowledgedPerContact =>
        acknowledgedByContact.ToDictionary(p => p.Key, p => p.Value.Distinct().Count());

    /// <summary>Stops sending new calls to a silo (it is being stopped); calls already running finish.</summary>
    public void Avoid(SiloProcess silo) => avoided[silo] = true;

    public async Task SendAsync(IEnumerable<IngestBatchRequest> batches, CancellationToken cancellationToken)
    {
        var queue = new ConcurrentQueue<IngestBatchRequest>(batches);
        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            while (queue.TryDequeue(out var batch))
            {
                await SendOneAsync(batch, cancellationToken);
            }
        }, cancellationToken)));
    }

    private async Task SendOneAsync(IngestBatchRequest batch, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var silo = PickSilo();
            try
            {
                var ack = await new IngestService.IngestServiceClient(silo.Invoker)
                    .IngestBatchAsync(batch, deadline: DateTime.UtcNow + callTimeout, cancellationToken: cancellationToken);
                Assert.Empty(ack.Rejected);
                foreach (var e in batch.Events)
                {
                    acknowledgedByContact.GetOrAdd(e.ContactId, _ => []).Add(e.EventId);
                }

                Interlocked.Increment(ref acknowledgedBatches);
                Interlocked.Add(ref acknowledgedEvents, batch.Events.Count);
                return;
            }
            catch (RpcException e) when (attempt < maxAttempts && !cancellationToken.IsCancellationRequested)
            {
                Interlocked.Increment(ref failedAttempts);
                failures.Enqueue((silo.Name, e.StatusCode, e.Status.Detail));
                Trace.WriteLine($"batch {batch.BatchId} attempt {attempt} on {silo.Name} failed: {e.StatusCode}");
            }
        }
    }

    private SiloProcess PickSilo()
    {
        var alive = silos.Where(s => !s.HasExited && !avoided.ContainsKey(s)).ToList();
        if (alive.Count == 0)
        {
            throw new InvalidOperationException("No silo left to send to.");
        }

        return alive[(int)((uint)Interlocked.Increment(ref nextSilo) % alive.Count)];
    }
}
