using System.Diagnostics;
using Grpc.Core;
using Grpc.Net.Client;
using Handoff.Protos.V1;

namespace Handoff.Benchmarks;

/// <summary>Latencies in milliseconds: how many, p50, p99 (nearest rank), max, mean.</summary>
public sealed record Stats(int Count, double P50, double P99, double Max, double Mean)
{
    public static Stats Of(IEnumerable<double> milliseconds)
    {
        var sorted = milliseconds.Order().ToArray();
        if (sorted.Length == 0)
        {
            return new Stats(0, double.NaN, double.NaN, double.NaN, double.NaN);
        }

        double Rank(double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
        return new Stats(sorted.Length, Rank(0.50), Rank(0.99), sorted[^1], sorted.Average());
    }
}

/// <summary>What one pass over the batches measured: wall clock from the first send to the last acknowledgement.</summary>
public sealed record Pass(int Events, double Seconds, Stats Ack)
{
    public double EventsPerSecond => Events / Seconds;
}

/// <summary>
/// Sends the batches over <c>streams</c> concurrent IngestEvents calls, each with up to <c>inFlight</c> batches sent but
/// not yet acknowledged, reading the acknowledgements in order. Batches are handed out in order from one queue. An
/// acknowledgement must name its batch and count every event accepted (none duplicate, none rejected); anything else,
/// or a batch never acknowledged, fails the pass. With a rate, batch i is due at start + (events before i) / rate and
/// its latency counts from when it was due, so a sender held back by a full window does not hide the wait.
/// </summary>
public static class IngestDriver
{
    public static async Task<Pass> RunAsync(GrpcChannel channel, IReadOnlyList<IngestEventsRequest> batches, int streams,
        int inFlight, double? eventsPerSecond, Action<int>? acknowledged, CancellationToken cancellationToken)
    {
        var client = new IngestService.IngestServiceClient(channel);
        var eventsBefore = new long[batches.Count];
        for (var i = 1; i < batches.Count; i++)
        {
            eventsBefore[i] = eventsBefore[i - 1] + batches[i - 1].Events.Count;
        }

        var latencies = new double[batches.Count];
        var next = -1;
        long lastAck = 0;
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Exception? failure = null;
        var start = Stopwatch.GetTimestamp();

        async Task StreamAsync()
        {
            using var call = client.IngestEvents(cancellationToken: failed.Token);
            using var window = new SemaphoreSlim(inFlight);
            var sent = new Queue<(int Index, long Since)>();
            var reader = Task.Run(async () =>
            {
                try
                {
                    await foreach (var ack in call.ResponseStream.ReadAllAsync(failed.Token))
                    {
                        (int Index, long Since) batch;
                        lock (sent)
                        {
                            batch = sent.Count > 0 ? sent.Dequeue() : throw new InvalidOperationException($"Acknowledgement {ack.BatchId} for no batch sent.");
                        }

                        var now = Stopwatch.GetTimestamp();
                        Check(batches[batch.Index], ack);
                        latencies[batch.Index] = Stopwatch.GetElapsedTime(batch.Since, now).TotalMilliseconds;
                        InterlockedMax(ref lastAck, now);
                        acknowledged?.Invoke(batch.Index);
                        window.Release();
                    }
                }
                catch (Exception e)
                {
                    // Recorded before anything is cancelled, so the first cause is the one reported.
                    await FailAsync(e);
                    throw;
                }
            });

            int index;
            while ((index = Interlocked.Increment(ref next)) < batches.Count)
            {
                await window.WaitAsync(failed.Token);
                var since = Stopwatch.GetTimestamp();
                if (eventsPerSecond is { } rate)
                {
                    since = start + (long)(eventsBefore[index] / rate * Stopwatch.Frequency);
                    var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), since);
                    if (wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait, failed.Token);
                    }
                }

                lock (sent)
                {
                    sent.Enqueue((index, since));
                }

                await call.RequestStream.WriteAsync(batches[index], failed.Token);
            }

            await call.RequestStream.CompleteAsync();
            await reader;
            if (sent.Count > 0)
            {
                throw new InvalidOperationException($"The stream ended with {sent.Count} batches unacknowledged (first: {batches[sent.Peek().Index].BatchId}).");
            }
        }

        async Task FailAsync(Exception e)
        {
            Interlocked.CompareExchange(ref failure, e, null);
            await failed.CancelAsync();
        }

        async Task GuardedAsync()
        {
            try
            {
                await StreamAsync();
            }
            catch (Exception e)
            {
                await FailAsync(e);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, streams).Select(_ => Task.Run(GuardedAsync, CancellationToken.None)));
        cancellationToken.ThrowIfCancellationRequested();
        if (failure is not null)
        {
            throw new InvalidOperationException($"Ingest failed: {failure.Message}", failure);
        }

        var events = batches.Sum(b => b.Events.Count);
        return new Pass(events, Stopwatch.GetElapsedTime(start, lastAck).TotalSeconds, Stats.Of(latencies));
    }

    private static void Check(IngestEventsRequest batch, IngestEventsResponse ack)
    {
        if (ack.BatchId != batch.BatchId || ack.AcceptedCount != batch.Events.Count || ack.DuplicateCount != 0 || ack.Rejected.Count != 0)
        {
            var first = ack.Rejected.FirstOrDefault();
            throw new InvalidOperationException(
                $"Batch {batch.BatchId} of {batch.Events.Count} events acknowledged as {ack.BatchId}: {ack.AcceptedCount} accepted, " +
                $"{ack.DuplicateCount} duplicate, {ack.Rejected.Count} rejected" + (first is null ? "" : $" (first: {first.Field} {first.Reason})"));
        }
    }

    private static void InterlockedMax(ref long target, long value)
    {
        long seen;
        while ((seen = Interlocked.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
