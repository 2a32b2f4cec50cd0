using Handoff.Domain.Model;
using Handoff.Domain.Scoring;

namespace Handoff.Domain.Evaluation;

/// <summary>
/// <see cref="EngagementScorer.Assess"/> on an <see cref="AppraisedWindow"/>: the same sums of the same weights in the same
/// order (so the rounding of the clamped sum is the same, to the bit), from the weights and tones worked out on arrival.
/// One pass over at most <see cref="ScoringOptions.MaxRecentEvents"/> cached numbers per score, without allocating.
/// </summary>
public sealed class WindowAssessor
{
    private readonly ScoringOptions options;
    private readonly TimeSpan sentimentWindow;

    public WindowAssessor(EngagementScorer scorer)
    {
        ArgumentNullException.ThrowIfNull(scorer);
        options = scorer.Options;
        sentimentWindow = scorer.Analyzer.Window;
    }

    /// <summary>The score at <paramref name="at"/>; later events are ignored, as in <see cref="EngagementScorer.ScoreAt"/>.</summary>
    public int ScoreAt(AppraisedWindow window, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(window);
        var total = 0.0;
        for (var i = 0; i < window.Count; i++)
        {
            ref readonly var e = ref window[i];
            if (e.OccurredAt > at)
            {
                // Sorted by time: the rest is later still.
                break;
            }

            total += e.Weight * Math.Pow(0.5, (at - e.OccurredAt) / options.HalfLife);
        }

        return EngagementScorer.Rounded(total);
    }

    public EngagementAssessment Assess(AppraisedWindow window, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(window);
        var score = ScoreAt(window, now);
        var delta = score - ScoreAt(window, now - options.TrendWindow);
        var trend = delta >= options.TrendThreshold ? Trend.Rising
            : delta <= -options.TrendThreshold ? Trend.Falling
            : Trend.Steady;
        return new EngagementAssessment(score, trend, delta, Overall(window, now));
    }

    /// <summary><see cref="SentimentAnalyzer.Overall"/> from the tones read on arrival.</summary>
    private Sentiment Overall(AppraisedWindow window, DateTimeOffset now)
    {
        var from = now - sentimentWindow;
        var latest = Sentiment.Unknown;
        var balance = 0;
        for (var i = 0; i < window.Count; i++)
        {
            ref readonly var e = ref window[i];
            if (e.OccurredAt > now)
            {
                break;
            }

            if (!e.IsInboundMessage || e.OccurredAt < from)
            {
                continue;
            }

            latest = e.Tone;
            balance += e.Tone == Sentiment.Positive ? 1 : e.Tone == Sentiment.Negative ? -1 : 0;
        }

        // Unknown when there was no message; the latest tone decides unless it is neutral.
        if (latest != Sentiment.Neutral)
        {
            return latest;
        }

        return balance > 0 ? Sentiment.Positive : balance < 0 ? Sentiment.Negative : Sentiment.Neutral;
    }
}
