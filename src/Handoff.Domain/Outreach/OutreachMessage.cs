using Handoff.Domain.Model;

namespace Handoff.Domain.Outreach;

public enum OutreachStatus { Queued = 1, Held = 2, Claimed = 3 }

/// <summary>One message in a contact's outbound queue.</summary>
public sealed record OutreachMessage
{
    public required string MessageId { get; init; }
    public required MessageSource Source { get; init; }
    public required Channel Channel { get; init; }
    public string Subject { get; init; } = "";
    public required string Body { get; init; }
    public required OutreachStatus Status { get; init; }
    /// <summary>Why the send gate holds the message; null unless <see cref="Status"/> is held.</summary>
    public DenialReason? HoldReason { get; init; }
    public required DateTimeOffset QueuedAt { get; init; }
    public required DateTimeOffset SendAfter { get; init; }
    public DateTimeOffset? ClaimedAt { get; init; }
    public string QueuedByUserId { get; init; } = "";
}

/// <summary>A message a caller asks to queue.</summary>
public sealed record OutreachRequest
{
    /// <summary>Empty: the queue picks one.</summary>
    public string MessageId { get; init; } = "";
    public required MessageSource Source { get; init; }
    public required Channel Channel { get; init; }
    public string Subject { get; init; } = "";
    public required string Body { get; init; }
    /// <summary>Null: at once.</summary>
    public DateTimeOffset? SendAfter { get; init; }
    public string ActorUserId { get; init; } = "";
}

public enum QueueOutcome
{
    /// <summary>The message is new in the queue.</summary>
    Queued = 1,

    /// <summary>A message of the same id was queued before; the answer is that message, and nothing changed.</summary>
    AlreadyQueued = 2,

    /// <summary>As many messages wait as may; nothing changed.</summary>
    Full = 3,
}
