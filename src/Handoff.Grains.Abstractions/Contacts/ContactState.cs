using Handoff.Domain.Model;
using Handoff.Grains.Notifications;

namespace Handoff.Grains.Contacts;

/// <summary>Everything one contact grain persists: written at once for card transitions, actions and profile changes, and as a checkpoint after ingest (the events themselves are in the event journal).</summary>
/// <remarks>
/// Id 18 is retired (it held the dedupe memory as whole event ids, a format never released): never reuse it. States
/// stored with it still read, the field skipped.
/// </remarks>
[GenerateSerializer, Alias("handoff.ContactState")]
public sealed class ContactState
{
    /// <summary>False until the contact is upserted or receives its first event.</summary>
    [Id(0)] public bool Exists { get; set; }
    [Id(1)] public string DisplayName { get; set; } = "";
    [Id(2)] public string OwnerUserId { get; set; } = "";
    [Id(3)] public LifecycleStage Stage { get; set; } = LifecycleStage.Lead;
    [Id(4)] public PipelinePhase Phase { get; set; } = PipelinePhase.Discover;
    [Id(5)] public bool AutoEngage { get; set; } = true;
    [Id(6)] public OutreachPauseState? Pause { get; set; }
    [Id(7)] public bool Unsubscribed { get; set; }
    /// <summary>The stored copy of the recent-event window the contact works on in memory, brought up to date at each write.</summary>
    [Id(8)] public List<StoredEvent> RecentEvents { get; set; } = [];
    [Id(9)] public EngagementState Engagement { get; set; } = EngagementState.Initial;
    /// <summary>The latest card: active, or the last one resolved.</summary>
    [Id(10)] public CardState? Card { get; set; }
    /// <summary>The inbox and delivery id under which the active card's notification sits.</summary>
    [Id(11)] public InboxAddress? CardInbox { get; set; }
    [Id(12)] public string CardDeliveryId { get; set; } = "";
    /// <summary>Reasons and time of the last card resolved by Resume SI Automation (the cooldown).</summary>
    [Id(13)] public IReadOnlyList<HandoffReason> LastResumedReasons { get; set; } = [];
    [Id(14)] public DateTimeOffset? LastResumedAt { get; set; }
    [Id(15)] public List<HistoryRecord> History { get; set; } = [];
    [Id(16)] public long LastHistorySequence { get; set; }
    /// <summary>The stored copy of the outbound queue the contact works on in memory, brought up to date at each write.</summary>
    [Id(17)] public List<OutreachMessageState> Outbox { get; set; } = [];
    [Id(19)] public List<PendingEffect> PendingEffects { get; set; } = [];
    [Id(20)] public DateTimeOffset CreatedAt { get; set; }
    [Id(21)] public DateTimeOffset UpdatedAt { get; set; }
    /// <summary>When the latest applied stage, phase and owner changes happened, so older events cannot overwrite newer facts.</summary>
    [Id(22)] public DateTimeOffset? StageChangedAt { get; set; }
    [Id(23)] public DateTimeOffset? PhaseChangedAt { get; set; }
    [Id(24)] public DateTimeOffset? OwnerChangedAt { get; set; }
    [Id(25)] public long CardsRaised { get; set; }
    /// <summary>
    /// The card whose escalation reminder was asked for (a <see cref="ScheduleEscalation"/> queued); an active card
    /// stored without one (raised before escalations existed) gets it when the contact next activates.
    /// </summary>
    [Id(26)] public string EscalationScheduledFor { get; set; } = "";
    /// <summary>
    /// When this state was written. Events journaled since (less the journal replay margin) may not be in it: the
    /// contact replays them from the event journal when it activates.
    /// </summary>
    [Id(27)] public DateTimeOffset? CheckpointedAt { get; set; }
    /// <summary>
    /// Events seen within the dedupe window: a 64-bit hash of the event id (see Handoff.Domain.Contacts.SeenEventIds) to the UTC ticks at which
    /// the event occurred (which decides when it may be forgotten). 16 bytes an event instead of the whole id.
    /// </summary>
    [Id(28)] public Dictionary<ulong, long> SeenEvents { get; set; } = [];
}
