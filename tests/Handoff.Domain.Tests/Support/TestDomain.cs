using Handoff.Domain.Model;
using Handoff.Domain.Scoring;
using Handoff.Domain.Triggers;

namespace Handoff.Domain.Tests.Support;

/// <summary>Domain services wired with default (or given) options.</summary>
internal static class TestDomain
{
    public static SentimentAnalyzer Sentiment() => new(new SentimentOptions());

    public static EngagementScorer Scorer(ScoringOptions? options = null) => new(options ?? new ScoringOptions(), Sentiment());

    public static HandoffTriggerEvaluator Evaluator(TriggerOptions? options = null, ScoringOptions? scoring = null) =>
        new(options ?? new TriggerOptions(), Scorer(scoring), Sentiment());

    public static ContactProfile Profile(PipelinePhase phase = PipelinePhase.Win, string name = "Brandon Lee", LifecycleStage stage = LifecycleStage.Sql) =>
        new("c-1", name, "u-1", stage, phase);

    /// <summary>Options whose decay is negligible over days, so a test can set an exact score with one weight.</summary>
    public static ScoringOptions FlatScoring(EventType type, double weight) => new()
    {
        HalfLife = TimeSpan.FromDays(36500),
        Weights = new() { [type] = weight },
    };

    public static EngagementAssessment Assessment(int score = 20, Trend trend = Trend.Steady, int delta = 0, Sentiment sentiment = Model.Sentiment.Unknown) =>
        new(score, trend, delta, sentiment);
}
