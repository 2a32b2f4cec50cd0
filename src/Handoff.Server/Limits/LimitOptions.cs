using System.ComponentModel.DataAnnotations;

namespace Handoff.Server.Limits;

/// <summary>
/// How much one caller and one tenant may ask of the host. Bound from configuration section "Handoff:Limits". Rates are
/// token buckets (a steady rate and a burst); a call past one is answered RESOURCE_EXHAUSTED with the delay after which
/// it may succeed (google.rpc.RetryInfo). See docs/security.md.
/// </summary>
public sealed class LimitOptions
{
    public const string Section = "Handoff:Limits";

    /// <summary>API calls per second of one user of one tenant (a stream counts once, when it opens).</summary>
    [Range(1, int.MaxValue)]
    public int CallsPerSecondPerUser { get; set; } = 1_000;

    /// <summary>API calls one user may make at once above the steady rate.</summary>
    [Range(1, int.MaxValue)]
    public int CallBurstPerUser { get; set; } = 2_000;

    /// <summary>API calls per second of all users of one tenant together.</summary>
    [Range(1, int.MaxValue)]
    public int CallsPerSecondPerTenant { get; set; } = 5_000;

    [Range(1, int.MaxValue)]
    public int CallBurstPerTenant { get; set; } = 10_000;

    /// <summary>Events ingested per second by one caller (a service account) of one tenant.</summary>
    [Range(1, int.MaxValue)]
    public int EventsPerSecondPerCaller { get; set; } = 50_000;

    /// <summary>Events one caller may send at once above the steady rate; at least the largest batch (Handoff:Ingest:MaxBatchSize).</summary>
    [Range(1, int.MaxValue)]
    public int EventBurstPerCaller { get; set; } = 100_000;

    /// <summary>Events ingested per second into one tenant, by all its callers together.</summary>
    [Range(1, int.MaxValue)]
    public int EventsPerSecondPerTenant { get; set; } = 50_000;

    [Range(1, int.MaxValue)]
    public int EventBurstPerTenant { get; set; } = 100_000;

    /// <summary>WatchNotifications streams one user may hold open at once (browser tabs, devices).</summary>
    [Range(1, int.MaxValue)]
    public int WatchesPerUser { get; set; } = 16;

    /// <summary>WatchNotifications streams open at once for one tenant.</summary>
    [Range(1, int.MaxValue)]
    public int WatchesPerTenant { get; set; } = 2_000;

    /// <summary>The retry delay suggested to a caller turned away for holding too many streams open.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan WatchRetryAfter { get; set; } = TimeSpan.FromSeconds(5);
}
