using Handoff.Domain.Model;
using Handoff.Domain.Scoring;
using Handoff.Domain.Triggers;

namespace Handoff.Domain.Summary;

/// <summary>Everything a summary may be written from: the contact's own data and nothing else.</summary>
public sealed record SummaryInput(
    ContactProfile Profile,
    EngagementAssessment Assessment,
    IReadOnlyList<ReasonFinding> Reasons,
    IReadOnlyList<EngagementEvent> RecentEvents,
    DateTimeOffset Now);
