using System.Diagnostics;
using System.Diagnostics.Metrics;
using Grpc.Core;
using Handoff.Grains;
using Handoff.Server.Ingest;

namespace Handoff.Server.Observability;

/// <summary>
/// The ingest instruments of the "Handoff" meter: events by outcome, batches by outcome, the time from a batch's
/// receipt to its acknowledgement, and the door's adaptive limit with the batches in process and waiting
/// (<see cref="IngestAdmission"/>).
/// </summary>
public sealed class IngestMetrics
{
    /// <summary>Bucket bounds of <c>handoff.ingest.ack.duration</c>, in seconds: 5 ms to 30 s.</summary>
    private static readonly double[] AckBuckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 30];

    private static readonly KeyValuePair<string, object?> Accepted = new("outcome", "accepted");
    private static readonly KeyValuePair<string, object?> Duplicate = new("outcome", "duplicate");
    private static readonly KeyValuePair<string, object?> Rejected = new("outcome", "rejected");
    private static readonly KeyValuePair<string, object?> Acknowledged = new("outcome", "acknowledged");
    private static readonly KeyValuePair<string, object?> Failed = new("outcome", "failed");

    private readonly Counter<long> events;
    private readonly Counter<long> batches;
    private readonly Histogram<double> ackDuration;

    public IngestMetrics(IMeterFactory meters, IngestAdmission admission)
    {
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(admission);
        var meter = meters.Create(CardMetrics.MeterName);
        events = meter.CreateCounter<long>("handoff.ingest.events", "{event}",
            "Events of acknowledged batches, by outcome: accepted (stored), duplicate (already seen), rejected (invalid, reported in the acknowledgement).");
        batches = meter.CreateCounter<long>("handoff.ingest.batches", "{batch}",
            "Ingest batches, by outcome: acknowledged, rejected (refused whole, INVALID_ARGUMENT) or failed (any other error).");
        ackDuration = meter.CreateHistogram("handoff.ingest.ack.duration", "s",
            "Time from receiving a batch to acknowledging it (every contact of the batch stored its events).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = AckBuckets });
        meter.CreateObservableGauge("handoff.ingest.admission.limit", () => admission.Limit, "{batch}",
            "Batches the ingest door lets be processed at once now: the adaptive limit, following the time batches take.");
        meter.CreateObservableGauge("handoff.ingest.admission.in_flight", () => admission.InFlight, "{batch}",
            "Batches being processed now, from admission to acknowledgement.");
        meter.CreateObservableGauge("handoff.ingest.admission.waiting", () => admission.Waiting, "{batch}",
            "Batches waiting at the ingest door for a place.");
    }

    /// <summary>Starts timing a batch just received.</summary>
    public BatchTiming Received() => new(this, Stopwatch.GetTimestamp());

    /// <summary>One batch on its way from receipt to acknowledgement.</summary>
    public readonly struct BatchTiming(IngestMetrics metrics, long startedAt)
    {
        /// <summary>The acknowledgement is handed to the transport.</summary>
        public void Acknowledged(BatchOutcome outcome)
        {
            ArgumentNullException.ThrowIfNull(outcome);
            metrics.ackDuration.Record(Stopwatch.GetElapsedTime(startedAt).TotalSeconds);
            metrics.batches.Add(1, IngestMetrics.Acknowledged);
            metrics.events.Add(outcome.Accepted, Accepted);
            metrics.events.Add(outcome.Duplicates, Duplicate);
            metrics.events.Add(outcome.Rejected.Count, Rejected);
        }

        /// <summary>The batch ended in an error instead of an acknowledgement.</summary>
        public void Failed(Exception exception) =>
            metrics.batches.Add(1, exception is RpcException { StatusCode: StatusCode.InvalidArgument } ? Rejected : IngestMetrics.Failed);
    }
}
