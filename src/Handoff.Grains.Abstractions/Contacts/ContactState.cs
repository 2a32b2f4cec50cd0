using Handoff.Domain.Model;
using Handoff.Grains.Notifications;

namespace Handoff.Grains.Contacts;

/// <summary>Everything one contact grain persists: written before answering for actions and profile changes, right after answering for card transitions, and as a checkpoint after ingest (the events themselves are in the event journal).</summary>
/// <remarks>
/// Ids 18 and 26 are retired (18 held the dedupe memory as whole event ids, a format never released; 26 the card whose
/// escalation reminder the contact had registered, before the tenant's index kept escalations): never reuse them.
/// States stored with them still read, the fields skipped.
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
    /// <summary>
    /// The recent-event window as states written before <see cref="PackedRecentEvents"/> hold it, one record per event:
    /// read when such a state activates, never written now.
    /// </summary>
    [Id(8)] public List<EngagementEvent> RecentEvents { get; set; } = [];
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
    /// When this state was written. Events journaled since (less the journal replay margin) may not be in it: the
    /// contact replays them from the event journal when it activates.
    /// </summary>
    [Id(27)] public DateTimeOffset? CheckpointedAt { get; set; }
    /// <summary>
    /// The open part of the events seen within the dedupe window (the rest is in <see cref="SeenSegments"/>): a 64-bit hash of the event id (see Handoff.Domain.Contacts.SeenEventIds) to the UTC ticks at which
    /// the event occurred (which decides when it may be forgotten). 16 bytes an event instead of the whole id.
    /// </summary>
    [Id(28)] public Dictionary<ulong, long> SeenEvents { get; set; } = [];
    /// <summary>
    /// The sealed parts of the events seen, each stored once as a record of its own (<see cref="SeenSegment"/>) when
    /// <see cref="SeenEvents"/> had grown to <c>Handoff:Contacts:SeenSegmentSize</c>, so that a state write carries a
    /// bounded number of ids however busy the contact.
    /// </summary>
    [Id(29)] public List<SeenSegmentRef> SeenSegments { get; set; } = [];
    /// <summary>The number the next sealed segment takes.</summary>
    [Id(30)] public long NextSeenSegment { get; set; }
    /// <summary>The newest append time of the events in <see cref="SeenEvents"/>.</summary>
    [Id(31)] public DateTimeOffset? NewestOpenSeenAppendedAt { get; set; }
    /// <summary>
    /// The newest append time of the events in <see cref="SeenSegments"/>. An event appended later cannot be in a
    /// segment (an event keeps its append time through retries and replays), so the segments are read only for events
    /// appended at or before it.
    /// </summary>
    [Id(32)] public DateTimeOffset? SealedSeenThrough { get; set; }
    /// <summary>
    /// The stored copy of the recent-event window the contact works on in memory, brought up to date at each write: its
    /// events' facts in one array (the layout of Handoff.Domain.Evaluation.PackedWindow). Never changed once set, only
    /// replaced, so the copy a write takes shares it.
    /// </summary>
    [Id(33), Immutable] public byte[]? PackedRecentEvents { get; set; }
}

/// <summary>A sealed segment of seen event ids: its number, and when the newest of its events occurred (it is deleted once that is past the dedupe window).</summary>
[GenerateSerializer, Alias("handoff.SeenSegmentRef")]
public sealed record SeenSegmentRef([property: Id(0)] long Number, [property: Id(1)] DateTimeOffset NewestOccurredAt);

/// <summary>The stored content of a sealed segment: event id hash to the UTC ticks at which the event occurred.</summary>
[GenerateSerializer, Alias("handoff.SeenSegment")]
public sealed class SeenSegment
{
    [Id(0)] public Dictionary<ulong, long> OccurredAtByHash { get; set; } = [];
}
