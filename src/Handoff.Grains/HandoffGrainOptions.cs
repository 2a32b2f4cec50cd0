using System.ComponentModel.DataAnnotations;
using Handoff.Domain.Settings;

namespace Handoff.Grains;

/// <summary>Limits and windows of the contact grain. Bound from configuration section "Handoff:Contacts".</summary>
public sealed class ContactOptions : IValidatableObject
{
    /// <summary>An event id is remembered this long after the event occurred; older events are refused at ingest.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan DedupeWindow { get; set; } = TimeSpan.FromDays(7);

    /// <summary>The audit trail keeps this many newest entries.</summary>
    [Range(1, 100000)]
    public int MaxHistoryEntries { get; set; } = 1000;

    /// <summary>Claimed messages kept for listing after they were handed to a sender.</summary>
    [Range(0, 10000)]
    public int MaxClaimedMessagesKept { get; set; } = 100;

    /// <summary>Messages waiting (queued or held) per contact; past it QueueMessage is refused.</summary>
    [Range(1, 10000)]
    public int MaxPendingMessages { get; set; } = 500;

    /// <summary>First retry delay for notification deliveries that failed; doubles up to <see cref="MaxEffectRetryDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan EffectRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan MaxEffectRetryDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long a contact keeps ingested events in memory only (they are durable in the event journal) before it
    /// writes its state. Longer means fewer state writes under load and a longer journal replay after a crash.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// On activation a contact replays the journal from its checkpoint less this margin: it must exceed the longest a
    /// journaled batch can take to reach the grain (the ingest pipeline's retries while a silo is unavailable plus
    /// Orleans' response timeout) and the clock difference between silos.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan JournalReplayMargin { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Checkpoints this silo writes at once; the others wait <see cref="CheckpointBusyDelay"/> and try again.</summary>
    [Range(1, 1000)]
    public int MaxConcurrentCheckpoints { get; set; } = 8;

    /// <summary>How long a checkpoint that found every place taken waits before it tries again.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan CheckpointBusyDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Event ids every state write of the contact carries at most before they are sealed into a segment of their own,
    /// stored once. Larger means fewer segments for a busy contact and larger state writes.
    /// </summary>
    [Range(1, 1_000_000)]
    public int SeenSegmentSize { get; set; } = 1024;

    /// <summary>Sealed segments read at once, when a retry or a replay needs them.</summary>
    [Range(1, 1024)]
    public int SeenSegmentReadConcurrency { get; set; } = 16;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        SettingOrder.AtMost(nameof(EffectRetryDelay), EffectRetryDelay, nameof(MaxEffectRetryDelay), MaxEffectRetryDelay);
}

/// <summary>Limits of the notification inbox grain. Bound from configuration section "Handoff:Inbox".</summary>
public sealed class InboxOptions
{
    /// <summary>The inbox keeps this many newest notifications; sequence numbers keep counting.</summary>
    [Range(1, 100000)]
    public int MaxNotifications { get; set; } = 2000;

    /// <summary>
    /// The inbox keeps this many newest changes (a notification read, resolved, updated or reassigned) for subscribers
    /// that resume a watch; one resuming from before the oldest kept change must reload the inbox. Twice the
    /// notifications: most notifications are read once and resolved once.
    /// </summary>
    [Range(1, 100000)]
    public int MaxChanges { get; set; } = 4000;

    /// <summary>
    /// Sequence numbers per stored page (notifications and changes share them): a delivery, a resolve or a read writes
    /// the pages it touched, not the whole inbox, so smaller pages write fewer bytes and activation reads more pages.
    /// An inbox keeps the size it was created with (its head records it), so changing it applies to new inboxes.
    /// </summary>
    [Range(1, 10000)]
    public int PageSize { get; set; } = 20;

    /// <summary>
    /// The page size of inboxes stored before inboxes recorded theirs: the <see cref="PageSize"/> the deployment had
    /// then, 100 unless it was changed.
    /// </summary>
    [Range(1, 10000)]
    public int UnrecordedPageSize { get; set; } = 100;

    /// <summary>Pages read at once when an inbox activates.</summary>
    [Range(1, 1024)]
    public int ActivationReadConcurrency { get; set; } = 16;

    /// <summary>A live subscriber not renewed within this time is dropped.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan SubscriptionLifetime { get; set; } = TimeSpan.FromMinutes(2);
}

/// <summary>Layout of a tenant's handoff index, and how it asks about escalations. Bound from configuration section "Handoff:HandoffIndex".</summary>
public sealed class HandoffIndexOptions
{
    /// <summary>
    /// Parts the active cards are spread over by a hash of the contact id; a card raised or resolved writes one part.
    /// Read when a tenant's index is first written (and kept with it), so changing it affects new tenants only. A write
    /// carries each part changed since the last one, whole: many small parts keep it near the entries that changed
    /// when cards come by the hundred a second, at the cost of a read per part when the index activates.
    /// </summary>
    [Range(1, 4096)]
    public int Parts { get; set; } = 1024;

    /// <summary>Parts read at once when the index activates: enough to overlap the round trips, few enough to leave the store's connection pool to others.</summary>
    [Range(1, 1024)]
    public int ActivationReadConcurrency { get; set; } = 16;

    /// <summary>Contacts the index asks at once when their cards' escalation times come together (after a downtime, say).</summary>
    [Range(1, 1024)]
    public int EscalationConcurrency { get; set; } = 16;

    /// <summary>How long the index waits before asking again a contact it could not reach about an escalation.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan EscalationRetryDelay { get; set; } = TimeSpan.FromMinutes(1);
}
