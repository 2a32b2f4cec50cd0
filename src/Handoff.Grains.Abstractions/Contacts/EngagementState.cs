using Handoff.Domain.Model;

namespace Handoff.Grains.Contacts;

/// <summary>The latest assessment of a contact, kept so that reads never recompute it.</summary>
[GenerateSerializer, Immutable, Alias("handoff.EngagementState")]
public sealed record EngagementState
{
    public static EngagementState Initial { get; } = new();

    [Id(0)] public int Score { get; init; }
    [Id(1)] public Trend Trend { get; init; } = Trend.Steady;
    [Id(2)] public int TrendDelta { get; init; }
    [Id(3)] public Sentiment Sentiment { get; init; } = Sentiment.Unknown;
    [Id(4)] public Recommendation Recommendation { get; init; } = Recommendation.ContinueAutomation;
    [Id(5)] public IReadOnlyList<ReasonRecord> Reasons { get; init; } = [];
    [Id(6)] public DateTimeOffset? LastEventAt { get; init; }
    [Id(7)] public int RecentEventCount { get; init; }
    [Id(8)] public long TotalEventCount { get; init; }
}
