using System.ComponentModel.DataAnnotations;
using Handoff.Domain.Settings;

namespace Handoff.Server.Ingest;

/// <summary>
/// How the number of batches processed at once follows the server's latency (<see cref="GradientConcurrencyLimit"/>).
/// The upper bound is <see cref="IngestOptions.MaxBatchesInFlight"/>. Bound from configuration section
/// "Handoff:Ingest:AdaptiveLimit".
/// </summary>
public sealed class AdaptiveLimitOptions : IValidatableObject
{
    public const string Section = "Handoff:Ingest:AdaptiveLimit";

    /// <summary>The limit never falls below this: enough to keep the journal's group commit and every core busy.</summary>
    [Range(1, 100000)]
    public int MinLimit { get; set; } = 2;

    /// <summary>The limit a server starts with, before it has measured anything.</summary>
    [Range(1, 100000)]
    public int InitialLimit { get; set; } = 4;

    /// <summary>
    /// How much slower than the fastest batches seen an event may be processed before the limit shrinks: at 2, an
    /// event may take up to twice its unloaded time (per event of its batch) while the limit still grows.
    /// </summary>
    [Range(1.0, 10.0)]
    public double LatencyTolerance { get; set; } = 2.0;

    /// <summary>Batches the recent time per event is averaged over (an exponential moving average).</summary>
    [Range(1, 10000)]
    public int RecentSamples { get; set; } = 8;

    /// <summary>
    /// Batches the fastest time per event is remembered for (at least this many, at most twice): long enough to
    /// remember an unloaded moment, short enough to follow a machine or a workload that has become slower.
    /// </summary>
    [Range(2, 1000000)]
    public int BaselineSamples { get; set; } = 1000;

    /// <summary>Batches allowed to queue on top of what the latency ratio gives, so that the limit can probe upwards.</summary>
    [Range(0.0, 1000.0)]
    public double QueueAllowance { get; set; } = 1.0;

    /// <summary>How far each change moves the limit towards its new value (1 = all the way).</summary>
    [Range(0.01, 1.0)]
    public double Smoothing { get; set; } = 0.2;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        SettingOrder.AtMost(nameof(MinLimit), MinLimit, nameof(InitialLimit), InitialLimit)
            .Concat(SettingOrder.AtMost(nameof(RecentSamples), RecentSamples, nameof(BaselineSamples), BaselineSamples));
}
