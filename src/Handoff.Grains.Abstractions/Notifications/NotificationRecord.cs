using Handoff.Domain.Model;

namespace Handoff.Grains.Notifications;

public enum NotificationKind { Handoff = 1, Escalation = 2 }

public enum NotificationPriority { Normal = 1, High = 2 }

public enum NotificationResolution { CardResolved = 1, Reassigned = 2 }

/// <summary>What happened to a notification after it was added.</summary>
public enum NotificationChangeKind { Read = 1, Resolved = 2, Updated = 3, Reassigned = 4 }

/// <summary>What a contact asks an inbox to show about one of its cards.</summary>
/// <param name="DeliveryId">Identifies one placement of a card in one inbox; redelivery with the same id updates, never duplicates.</param>
[GenerateSerializer, Immutable, Alias("handoff.NotificationNotice")]
public sealed record NotificationNotice
{
    [Id(0)] public required string DeliveryId { get; init; }
    [Id(1)] public required NotificationKind Kind { get; init; }
    [Id(2)] public required NotificationPriority Priority { get; init; }
    [Id(3)] public required string ContactId { get; init; }
    [Id(4)] public required string ContactDisplayName { get; init; }
    [Id(5)] public required string CardId { get; init; }
    [Id(6)] public required int CardVersion { get; init; }
    [Id(7)] public required string Title { get; init; }
    [Id(8)] public required string Summary { get; init; }
    [Id(9)] public required IReadOnlyList<HandoffReason> Reasons { get; init; }
    [Id(10)] public required DateTimeOffset At { get; init; }
}

/// <summary>A notification in an inbox's ordered log.</summary>
[GenerateSerializer, Immutable, Alias("handoff.NotificationRecord")]
public sealed record NotificationRecord
{
    /// <summary>The inbox sequence number of the entry that added the notification; changes take the numbers between.</summary>
    [Id(0)] public required long Sequence { get; init; }
    [Id(1)] public required NotificationNotice Notice { get; init; }
    [Id(2)] public bool Read { get; init; }
    [Id(3)] public DateTimeOffset? ReadAt { get; init; }
    [Id(4)] public NotificationResolution? Resolution { get; init; }
    [Id(5)] public DateTimeOffset? ResolvedAt { get; init; }

    public bool Resolved => Resolution is not null;
}

/// <summary>
/// A change to a notification the inbox held, numbered in the same sequence as the notifications, so that one number
/// tells a subscriber where it is in both.
/// </summary>
[GenerateSerializer, Immutable, Alias("handoff.NotificationChange")]
public sealed record NotificationChange
{
    [Id(0)] public required long Sequence { get; init; }
    [Id(1)] public required NotificationChangeKind Kind { get; init; }
    [Id(2)] public required long NotificationSequence { get; init; }
    [Id(3)] public required DateTimeOffset At { get; init; }
}

/// <summary>One entry of an inbox's log as a subscriber receives it: a notification added, or a change to one.</summary>
[GenerateSerializer, Immutable, Alias("handoff.InboxEntry")]
public sealed record InboxEntry
{
    [Id(0)] public required long Sequence { get; init; }

    /// <summary>The change the entry records; null when the entry added <see cref="Notification"/>.</summary>
    [Id(1)] public NotificationChange? Change { get; init; }

    /// <summary>
    /// The notification the entry added or changed, as the inbox held it when the entry was read (it may show later
    /// changes too); null for a change to a notification the inbox no longer keeps.
    /// </summary>
    [Id(2)] public NotificationRecord? Notification { get; init; }

    /// <summary>The inbox's unread count when the entry was read.</summary>
    [Id(3)] public required int UnreadCount { get; init; }
}

/// <param name="Entries">Oldest first.</param>
/// <param name="LastSequence">The inbox's newest sequence number.</param>
/// <param name="OldestResumableAfter">
/// The smallest sequence number, other than 0, after which the inbox still holds every entry: it keeps a bounded log.
/// </param>
/// <param name="UnreadCount">The inbox's unread count now.</param>
[GenerateSerializer, Immutable, Alias("handoff.InboxLogPage")]
public sealed record InboxLogPage(
    [property: Id(0)] IReadOnlyList<InboxEntry> Entries,
    [property: Id(1)] long LastSequence,
    [property: Id(2)] long OldestResumableAfter,
    [property: Id(3)] int UnreadCount);

[GenerateSerializer, Immutable, Alias("handoff.NotificationPage")]
public sealed record NotificationPage(
    [property: Id(0)] IReadOnlyList<NotificationRecord> Notifications,
    [property: Id(1)] long NextBeforeSequence,
    [property: Id(2)] int UnreadCount,
    [property: Id(3)] long LastSequence);
