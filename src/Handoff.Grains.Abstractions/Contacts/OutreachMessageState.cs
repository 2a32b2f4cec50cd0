using Handoff.Domain.Model;

namespace Handoff.Grains.Contacts;

public enum MessageStatus { Queued = 1, Held = 2, Claimed = 3 }

/// <summary>One message in the contact's outbound queue.</summary>
[GenerateSerializer, Immutable, Alias("handoff.OutreachMessageState")]
public sealed record OutreachMessageState
{
    [Id(0)] public required string MessageId { get; init; }
    [Id(1)] public required MessageSource Source { get; init; }
    [Id(2)] public required Channel Channel { get; init; }
    [Id(3)] public string Subject { get; init; } = "";
    [Id(4)] public required string Body { get; init; }
    [Id(5)] public required MessageStatus Status { get; init; }
    [Id(6)] public DenialReason? HoldReason { get; init; }
    [Id(7)] public required DateTimeOffset QueuedAt { get; init; }
    [Id(8)] public required DateTimeOffset SendAfter { get; init; }
    [Id(9)] public DateTimeOffset? ClaimedAt { get; init; }
    [Id(10)] public string QueuedByUserId { get; init; } = "";
}

/// <summary>What a caller asks to queue.</summary>
[GenerateSerializer, Immutable, Alias("handoff.NewOutreachMessage")]
public sealed record NewOutreachMessage
{
    /// <summary>Empty: the grain picks one.</summary>
    [Id(0)] public string MessageId { get; init; } = "";
    [Id(1)] public required MessageSource Source { get; init; }
    [Id(2)] public required Channel Channel { get; init; }
    [Id(3)] public string Subject { get; init; } = "";
    [Id(4)] public required string Body { get; init; }
    [Id(5)] public DateTimeOffset? SendAfter { get; init; }
    [Id(6)] public string ActorUserId { get; init; } = "";
}
