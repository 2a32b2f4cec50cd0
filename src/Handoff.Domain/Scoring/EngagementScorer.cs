using Handoff.Domain.Model;

namespace Handoff.Domain.Scoring;

/// <summary>
/// The engagement score: a pure function of the events and the moment asked about (no clock reads), so a
/// replay of the same events gives the same score and trend.
/// </summary>
public sealed class EngagementScorer
{
    private const int MinScore = 0;
    private const int MaxScore = 100;

    private readonly ScoringOptions options;
    private readonly SentimentAnalyzer sentiment;

    public EngagementScorer(ScoringOptions options, SentimentAnalyzer sentiment)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(sentiment);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.HalfLife, TimeSpan.Zero, nameof(options));
        this.options = options;
        this.sentiment = sentiment;
    }

    /// <summary>The trend compares the score now with the score this long ago (for evidence wording).</summary>
    public TimeSpan TrendWindow => options.TrendWindow;

    internal ScoringOptions Options => options;

    internal SentimentAnalyzer Analyzer => sentiment;

    /// <summary>
    /// The score at <paramref name="at"/>: every event up to then adds its weight (plus the pricing-page
    /// bonus, plus or minus the sentiment weight for an inbound message with a tone), halved for every
    /// half-life of age; the sum is clamped to 0..100 and rounded. Later events are ignored, so the score
    /// "a trend window ago" is what it was then. Events are summed in a fixed order, so their order in the
    /// list cannot change the result.
    /// </summary>
    public int ScoreAt(IReadOnlyList<EngagementEvent> events, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(events);
        var ordered = InSummingOrder(events);
        return ScoreAt(ordered, ordered.Select(Weight).ToArray(), at);
    }

    /// <summary>Score now, the trend over <see cref="ScoringOptions.TrendWindow"/>, and the sentiment of recent messages.</summary>
    public EngagementAssessment Assess(IReadOnlyList<EngagementEvent> events, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(events);
        // Both scores sum the same weights: each event is weighed (and its text classified) once.
        var ordered = InSummingOrder(events);
        var weights = ordered.Select(Weight).ToArray();
        var score = ScoreAt(ordered, weights, now);
        var delta = score - ScoreAt(ordered, weights, now - options.TrendWindow);
        var trend = delta >= options.TrendThreshold ? Trend.Rising
            : delta <= -options.TrendThreshold ? Trend.Falling
            : Trend.Steady;
        return new EngagementAssessment(score, trend, delta, sentiment.Overall(events, now));
    }

    private int ScoreAt(IReadOnlyList<EngagementEvent> ordered, double[] weights, DateTimeOffset at)
    {
        var total = 0.0;
        for (var i = 0; i < ordered.Count; i++)
        {
            if (ordered[i].OccurredAt <= at)
            {
                total += weights[i] * Math.Pow(0.5, (at - ordered[i].OccurredAt) / options.HalfLife);
            }
        }

        return Rounded(total);
    }

    /// <summary>The decayed sum as a score: clamped to 0..100 and rounded (the one rule both evaluations share).</summary>
    internal static int Rounded(double total) => (int)Math.Round(Math.Clamp(total, MinScore, MaxScore), MidpointRounding.AwayFromZero);

    /// <summary>
    /// The events by occurrence, then id: the fixed order scores are summed in. The recent-event window is kept in
    /// that order already, and is then used as it is.
    /// </summary>
    private static IReadOnlyList<EngagementEvent> InSummingOrder(IReadOnlyList<EngagementEvent> events)
    {
        for (var i = 1; i < events.Count; i++)
        {
            if (Compare(events[i - 1], events[i]) > 0)
            {
                return events.OrderBy(e => e.OccurredAt).ThenBy(e => e.EventId, StringComparer.Ordinal).ToList();
            }
        }

        return events;
    }

    private static int Compare(EngagementEvent a, EngagementEvent b)
    {
        var byTime = a.OccurredAt.CompareTo(b.OccurredAt);
        return byTime != 0 ? byTime : string.CompareOrdinal(a.EventId, b.EventId);
    }

    private double Weight(EngagementEvent e) =>
        Weight(e, e.IsInboundMessage ? sentiment.Classify(e.Text!) : Sentiment.Unknown);

    /// <summary>The event's weight before decay, given the tone of its text (read only for an inbound message).</summary>
    internal double Weight(EngagementEvent e, Sentiment tone)
    {
        var weight = options.Weights.GetValueOrDefault(e.Type);
        if (e.Type == EventType.PageViewed && e.PricingPage)
        {
            weight += options.PricingPageBonus;
        }

        if (e.IsInboundMessage)
        {
            weight += tone switch
            {
                Sentiment.Positive => options.SentimentWeight,
                Sentiment.Negative => -options.SentimentWeight,
                _ => 0,
            };
        }

        return weight;
    }
}
