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
        var total = events
            .Where(e => e.OccurredAt <= at)
            .OrderBy(e => e.OccurredAt)
            .ThenBy(e => e.EventId, StringComparer.Ordinal)
            .Sum(e => Weight(e) * Math.Pow(0.5, (at - e.OccurredAt) / options.HalfLife));
        return (int)Math.Round(Math.Clamp(total, MinScore, MaxScore), MidpointRounding.AwayFromZero);
    }

    /// <summary>Score now, the trend over <see cref="ScoringOptions.TrendWindow"/>, and the sentiment of recent messages.</summary>
    public EngagementAssessment Assess(IReadOnlyList<EngagementEvent> events, DateTimeOffset now)
    {
        var score = ScoreAt(events, now);
        var delta = score - ScoreAt(events, now - options.TrendWindow);
        var trend = delta >= options.TrendThreshold ? Trend.Rising
            : delta <= -options.TrendThreshold ? Trend.Falling
            : Trend.Steady;
        return new EngagementAssessment(score, trend, delta, sentiment.Overall(events, now));
    }

    private double Weight(EngagementEvent e)
    {
        var weight = options.Weights.GetValueOrDefault(e.Type);
        if (e.Type == EventType.PageViewed && e.PricingPage)
        {
            weight += options.PricingPageBonus;
        }

        if (e.IsInboundMessage)
        {
            weight += sentiment.Classify(e.Text!) switch
            {
                Sentiment.Positive => options.SentimentWeight,
                Sentiment.Negative => -options.SentimentWeight,
                _ => 0,
            };
        }

        return weight;
    }
}
