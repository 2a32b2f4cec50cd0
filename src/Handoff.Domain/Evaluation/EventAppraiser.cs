using Handoff.Domain.Model;
using Handoff.Domain.Scoring;
using Handoff.Domain.Triggers;

namespace Handoff.Domain.Evaluation;

/// <summary>Works out an event's <see cref="AppraisedEvent"/> facts with the same rules the full evaluation applies.</summary>
public sealed class EventAppraiser
{
    private readonly EngagementScorer scorer;
    private readonly HandoffTriggerEvaluator triggers;

    public EventAppraiser(EngagementScorer scorer, HandoffTriggerEvaluator triggers)
    {
        ArgumentNullException.ThrowIfNull(scorer);
        ArgumentNullException.ThrowIfNull(triggers);
        // One tone per message serves the score, the overall sentiment and the judgement: it must come from one reader.
        if (!ReferenceEquals(scorer.Analyzer, triggers.Analyzer))
        {
            throw new ArgumentException("The scorer and the trigger evaluator must share one sentiment analyzer.", nameof(triggers));
        }

        this.scorer = scorer;
        this.triggers = triggers;
    }

    public AppraisedEvent Appraise(EngagementEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (!e.IsInboundMessage)
        {
            return new AppraisedEvent(e, scorer.Weight(e, Sentiment.Unknown), Sentiment.Unknown, 0);
        }

        var tone = scorer.Analyzer.Classify(e.Text!);
        return new AppraisedEvent(e, scorer.Weight(e, tone), tone, triggers.JudgementsIn(e.Text!));
    }
}
