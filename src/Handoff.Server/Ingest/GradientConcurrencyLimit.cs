namespace Handoff.Server.Ingest;

/// <summary>
/// How many batches the server processes at once, found from the time their events take (a gradient limit, in the
/// spirit of Netflix's concurrency-limits). The baseline is the fastest time per event seen lately, an unloaded moment;
/// while recent batches stay within the tolerance of it, the limit grows by the queue allowance; when they take longer,
/// work is queuing inside the server (in the grains' queues, where a salesperson's read waits behind it) and the limit
/// shrinks in proportion. Batches beyond the limit wait at the door, where they delay no read. Times are per event of
/// the batch, so that a batch of one event and one of a thousand compare. Not thread-safe: its owner serializes calls.
/// </summary>
public sealed class GradientConcurrencyLimit
{
    /// <summary>A limit never shrinks by more than half at once, however bad one sample looks.</summary>
    private const double SmallestGradient = 0.5;

    /// <summary>Times per event are taken as at least a nanosecond, so that an instant batch (or a still clock) divides.</summary>
    private const double ShortestMillisecondsPerEvent = 1e-6;

    private readonly AdaptiveLimitOptions options;
    private readonly int maxLimit;
    private readonly int minLimit;
    private readonly double recentWeight;
    private double estimate;
    private double recent = double.NaN;

    /// <summary>The fastest time per event of the current window of samples, and of the window before it.</summary>
    private double windowFastest = double.PositiveInfinity;
    private double previousWindowFastest = double.PositiveInfinity;
    private int windowSamples;

    public GradientConcurrencyLimit(AdaptiveLimitOptions options, int maxLimit)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLimit, 1);
        this.options = options;
        this.maxLimit = maxLimit;
        minLimit = Math.Min(options.MinLimit, maxLimit);
        recentWeight = 2.0 / (options.RecentSamples + 1);
        estimate = Math.Clamp(options.InitialLimit, minLimit, maxLimit);
    }

    /// <summary>Batches that may be processed at once now.</summary>
    public int Current => (int)estimate;

    /// <summary>
    /// A batch of <paramref name="events"/> events finished after <paramref name="latency"/>; <paramref name="inFlight"/>
    /// batches were in process when it started.
    /// </summary>
    public void Record(TimeSpan latency, int events, int inFlight)
    {
        var perEvent = Math.Max(latency.TotalMilliseconds / Math.Max(events, 1), ShortestMillisecondsPerEvent);
        recent = double.IsNaN(recent) ? perEvent : recent + (recentWeight * (perEvent - recent));
        RememberFastest(perEvent);

        // Too few batches to fill the limit say nothing about whether a higher one would be better.
        if (inFlight < estimate / 2)
        {
            return;
        }

        var baseline = Math.Min(windowFastest, previousWindowFastest);
        var gradient = Math.Clamp(options.LatencyTolerance * baseline / recent, SmallestGradient, 1.0);
        var target = (estimate * gradient) + options.QueueAllowance;
        estimate = Math.Clamp(estimate + (options.Smoothing * (target - estimate)), minLimit, maxLimit);
    }

    private void RememberFastest(double perEvent)
    {
        if (++windowSamples > options.BaselineSamples)
        {
            previousWindowFastest = windowFastest;
            windowFastest = double.PositiveInfinity;
            windowSamples = 1;
        }

        windowFastest = Math.Min(windowFastest, perEvent);
    }
}
