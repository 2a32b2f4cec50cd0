using Handoff.Domain.Model;
using Handoff.Domain.Summary;

namespace Handoff.Grains.Contacts;

public enum CardStatus { Active = 1, Resolved = 2 }

public enum CardResolution { Resumed = 1 }

public enum ActionKind
{
    ResumeAutomation = 1,
    PauseAllOutreach = 2,
    ResumeOutreach = 3,
    AutoEngageOn = 4,
    AutoEngageOff = 5,
    AssignOwner = 6,
}

[GenerateSerializer, Immutable, Alias("handoff.ReasonRecord")]
public sealed record ReasonRecord(
    [property: Id(0)] HandoffReason Reason,
    [property: Id(1)] IReadOnlyList<string> Evidence,
    [property: Id(2)] DateTimeOffset DetectedAt);

[GenerateSerializer, Immutable, Alias("handoff.ActionRecord")]
public sealed record ActionRecord(
    [property: Id(0)] ActionKind Kind,
    [property: Id(1)] string ActorUserId,
    [property: Id(2)] DateTimeOffset At);

/// <summary>
/// The SI Human Handoff card, as stored and as shown. Its rules (whether it is active, awaits escalation) are the
/// domain's HandoffCard's, which the grains map it to.
/// </summary>
[GenerateSerializer, Immutable, Alias("handoff.CardState")]
public sealed record CardState
{
    [Id(0)] public required string CardId { get; init; }
    [Id(1)] public required int Version { get; init; }
    [Id(2)] public required string Label { get; init; }
    [Id(3)] public required string Summary { get; init; }
    [Id(4)] public required IReadOnlyList<ReasonRecord> Reasons { get; init; }
    [Id(5)] public required int ScoreAtRaise { get; init; }
    [Id(6)] public required Trend TrendAtRaise { get; init; }
    [Id(7)] public required PipelinePhase PhaseAtRaise { get; init; }
    [Id(8)] public required LifecycleStage StageAtRaise { get; init; }
    [Id(9)] public required CardStatus Status { get; init; }
    [Id(10)] public CardResolution? Resolution { get; init; }
    [Id(11)] public required DateTimeOffset CreatedAt { get; init; }
    [Id(12)] public required DateTimeOffset UpdatedAt { get; init; }
    [Id(13)] public DateTimeOffset? ResolvedAt { get; init; }
    [Id(14)] public string ResolvedByUserId { get; init; } = "";
    [Id(15)] public IReadOnlyList<ActionRecord> Actions { get; init; } = [];
    /// <summary>When the card was escalated to the tenant's team inbox (left ACTIVE past the SLA); at most once.</summary>
    [Id(16)] public DateTimeOffset? EscalatedAt { get; init; }
    /// <summary>
    /// When a person first acted on the card while it was ACTIVE (a sidebar action that changed something); a card
    /// acted on before it was escalated is never escalated.
    /// </summary>
    [Id(17)] public DateTimeOffset? AttendedAt { get; init; }
    /// <summary>The facts the summary was written from; null on cards stored before fact sheets.</summary>
    [Id(18)] public FactSheetRecord? Facts { get; init; }
    /// <summary>Who wrote the summary (0, no value, on cards stored before it was recorded), and when.</summary>
    [Id(19)] public SummaryWriterKind SummaryWriter { get; init; }
    [Id(20)] public DateTimeOffset? SummaryWrittenAt { get; init; }
}
