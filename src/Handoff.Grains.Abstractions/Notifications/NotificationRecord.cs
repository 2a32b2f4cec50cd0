using Handoff.Domain.Model;

namespace Handoff.Grains.Notifications;

public enum NotificationKind { Handoff = 1, Escalation = 2 }

public enum NotificationPriority { Normal = 1, High = 2 }

public enum NotificationResolution { CardResolved = 1, Reassigned = 2 }

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
    [Id(0)] public required long Sequence { get; init; }
    [Id(1)] public required NotificationNotice Notice { get; init; }
    [Id(2)] public bool Read { get; init; }
    [Id(3)] public DateTimeOffset? ReadAt { get; init; }
    [Id(4)] public NotificationResolution? Resolution { get; init; }
    [Id(5)] public DateTimeOffset? ResolvedAt { get; init; }

    public bool Resolved => Resolution is not null;
}

[GenerateSerializer, Immutable, Alias("handoff.NotificationPage")]
public sealed record NotificationPage(
    [property: Id(0)] IReadOnlyList<NotificationRecord> Notifications,
    [property: Id(1)] long NextBeforeSequence,
    [property: Id(2)] int UnreadCount,
    [property: Id(3)] long LastSequence);
