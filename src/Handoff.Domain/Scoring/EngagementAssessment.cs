using Handoff.Domain.Model;

namespace Handoff.Domain.Scoring;

/// <summary>The engagement state of a contact at one moment.</summary>
/// <param name="Score">0 to 100.</param>
/// <param name="TrendDelta">Score now minus the score one trend window ago.</param>
public sealed record EngagementAssessment(int Score, Trend Trend, int TrendDelta, Sentiment Sentiment);
