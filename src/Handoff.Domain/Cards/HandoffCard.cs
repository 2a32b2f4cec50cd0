using Handoff.Domain.Model;
using Handoff.Domain.Summary;
using Handoff.Domain.Triggers;

namespace Handoff.Domain.Cards;

public enum HandoffCardStatus { Active = 1, Resolved = 2 }

public enum HandoffCardResolution { Resumed = 1 }

public enum CardActionKind
{
    ResumeAutomation = 1,
    PauseAllOutreach = 2,
    ResumeOutreach = 3,
    AutoEngageOn = 4,
    AutoEngageOff = 5,
    AssignOwner = 6,
}

/// <summary>A reason on the card, with the evidence found for it and when.</summary>
public sealed record CardReason(HandoffReason Reason, IReadOnlyList<string> Evidence, DateTimeOffset DetectedAt);

/// <summary>Something a person did while the card was active.</summary>
public sealed record CardAction(CardActionKind Kind, string ActorUserId, DateTimeOffset At);

/// <summary>
/// The SI Human Handoff card and its life: raised ACTIVE with its reasons (version 1), a new reason raises the version,
/// Resume SI Automation resolves it; while it is active the actions on it are listed, the first one marks it attended,
/// and an active card nobody attended is escalated once, when its SLA has passed. Every change gives a new card.
/// </summary>
public sealed record HandoffCard
{
    public required string CardId { get; init; }
    public required int Version { get; init; }
    public required string Label { get; init; }
    public required string Summary { get; init; }
    public required IReadOnlyList<CardReason> Reasons { get; init; }
    public required int ScoreAtRaise { get; init; }
    public required Trend TrendAtRaise { get; init; }
    public required PipelinePhase PhaseAtRaise { get; init; }
    public required LifecycleStage StageAtRaise { get; init; }
    public required HandoffCardStatus Status { get; init; }
    public HandoffCardResolution? Resolution { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    public DateTimeOffset? ResolvedAt { get; init; }
    public string ResolvedByUserId { get; init; } = "";
    public IReadOnlyList<CardAction> Actions { get; init; } = [];
    public DateTimeOffset? EscalatedAt { get; init; }
    public DateTimeOffset? AttendedAt { get; init; }

    /// <summary>The facts the summary was written from (null on cards stored before fact sheets existed).</summary>
    public FactSheet? Facts { get; init; }

    /// <summary>Who wrote <see cref="Summary"/>, and when (<see cref="SummaryWrittenAt"/>, null on older cards).</summary>
    public SummaryWriterKind SummaryWriter { get; init; }

    public DateTimeOffset? SummaryWrittenAt { get; init; }

    public bool IsActive => Status == HandoffCardStatus.Active;

    /// <summary>ACTIVE, not escalated yet and not acted on: the card escalates once its SLA has passed.</summary>
    public bool AwaitsEscalation => IsActive && EscalatedAt is null && AttendedAt is null;

    /// <summary>A new ACTIVE card, version 1, for the reasons found.</summary>
    /// <remarks>The summary is the deterministic writer's, from <paramref name="facts"/>; a language model's may replace it later.</remarks>
    public static HandoffCard Raise(string cardId, string label, string summary, IEnumerable<ReasonFinding> findings,
        int score, Trend trend, PipelinePhase phase, LifecycleStage stage, DateTimeOffset now, FactSheet? facts = null) => new()
        {
            Facts = facts,
            SummaryWriter = SummaryWriterKind.Deterministic,
            SummaryWrittenAt = now,
            CardId = cardId,
            Version = 1,
            Label = label,
            Summary = summary,
            Reasons = findings.Select(f => new CardReason(f.Reason, f.Evidence, now)).ToList(),
            ScoreAtRaise = score,
            TrendAtRaise = trend,
            PhaseAtRaise = phase,
            StageAtRaise = stage,
            Status = HandoffCardStatus.Active,
            CreatedAt = now,
            UpdatedAt = now,
        };

    /// <summary>
    /// Whether an action naming <paramref name="cardId"/> acts on the card the contact shows now
    /// (<paramref name="currentCardId"/>; null when none): an empty id names "no card". Otherwise the caller's screen is stale.
    /// </summary>
    public static bool IsCurrent(string cardId, string? currentCardId) => cardId == (currentCardId ?? "");

    /// <summary>When the card escalates: its creation plus the SLA.</summary>
    public DateTimeOffset EscalationDueAt(TimeSpan sla) => CreatedAt + sla;

    /// <summary>The card with new reasons added after the ones it had, its summary rewritten (deterministic), one version up.</summary>
    public HandoffCard WithAddedReasons(IEnumerable<ReasonFinding> added, string summary, DateTimeOffset now, FactSheet? facts = null) => this with
    {
        Version = Version + 1,
        Reasons = Reasons.Concat(added.Select(f => new CardReason(f.Reason, f.Evidence, now))).ToList(),
        Summary = summary,
        Facts = facts ?? Facts,
        SummaryWriter = SummaryWriterKind.Deterministic,
        SummaryWrittenAt = now,
        UpdatedAt = now,
    };

    /// <summary>
    /// Whether a summary written for version <paramref name="version"/> of card <paramref name="cardId"/> may replace this
    /// card's: it is the same card, still active, and nothing changed on it since (a newer version has newer facts).
    /// </summary>
    public bool AcceptsSummaryFor(string cardId, int version) => IsActive && CardId == cardId && Version == version;

    /// <summary>
    /// The card with another writer's summary of the same facts, one version up (so inboxes and watchers take the change),
    /// written at <paramref name="writtenAt"/>.
    /// </summary>
    public HandoffCard WithReplacedSummary(string summary, SummaryWriterKind writer, DateTimeOffset writtenAt, DateTimeOffset now)
    {
        EnsureActive();
        return this with
        {
            Version = Version + 1,
            Summary = summary,
            SummaryWriter = writer,
            SummaryWrittenAt = writtenAt,
            UpdatedAt = now,
        };
    }

    /// <summary>Resume SI Automation: the card is resolved by <paramref name="actor"/>, the press listed, attended now if not before.</summary>
    public HandoffCard Resume(string actor, DateTimeOffset now)
    {
        EnsureActive();
        return this with
        {
            Status = HandoffCardStatus.Resolved,
            Resolution = HandoffCardResolution.Resumed,
            ResolvedAt = now,
            ResolvedByUserId = actor,
            UpdatedAt = now,
            Actions = [.. Actions, new CardAction(CardActionKind.ResumeAutomation, actor, now)],
            AttendedAt = AttendedAt ?? now,
        };
    }

    /// <summary>The card listing the action; a card no longer active lists nothing more (the audit trail has it).</summary>
    public HandoffCard WithAction(CardActionKind kind, string actor, DateTimeOffset now) =>
        IsActive ? this with { Actions = [.. Actions, new CardAction(kind, actor, now)], UpdatedAt = now } : this;

    /// <summary>A person acted on the active card: the first time, it is attended (and will not escalate).</summary>
    public HandoffCard Attended(DateTimeOffset now) => IsActive && AttendedAt is null ? this with { AttendedAt = now } : this;

    /// <summary>Whether the card is to be escalated at <paramref name="now"/>: it awaits escalation and its SLA has passed.</summary>
    public bool IsDueForEscalation(DateTimeOffset now, TimeSpan sla) => AwaitsEscalation && now >= EscalationDueAt(sla);

    /// <summary>The card escalated at <paramref name="now"/>.</summary>
    public HandoffCard Escalated(DateTimeOffset now, TimeSpan sla)
    {
        if (!IsDueForEscalation(now, sla))
        {
            throw new InvalidOperationException($"Card {CardId} is not due for escalation at {now:O}.");
        }

        return this with { EscalatedAt = now, UpdatedAt = now };
    }

    private void EnsureActive()
    {
        if (!IsActive)
        {
            throw new InvalidOperationException($"Card {CardId} is not active.");
        }
    }
}
