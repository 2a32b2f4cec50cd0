namespace Handoff.Grains.Contacts;

public enum HistoryKind
{
    CardRaised = 1,
    CardUpdated = 2,
    CardResolved = 3,
    AutomationResumed = 4,
    OutreachPaused = 5,
    OutreachResumed = 6,
    AutoEngageOn = 7,
    AutoEngageOff = 8,
    OwnerAssigned = 9,
    Unsubscribed = 10,
    HandoffSuppressed = 11,
    Escalated = 12,
    /// <summary>Another writer's summary (the language model's) replaced the card's, one version up.</summary>
    SummaryReplaced = 13,
}

/// <summary>One line of the contact's audit trail.</summary>
[GenerateSerializer, Immutable, Alias("handoff.HistoryRecord")]
public sealed record HistoryRecord(
    [property: Id(0)] long Sequence,
    [property: Id(1)] HistoryKind Kind,
    [property: Id(2)] DateTimeOffset At,
    [property: Id(3)] string ActorUserId,
    [property: Id(4)] string CardId,
    [property: Id(5)] int CardVersion,
    [property: Id(6)] string Detail);
