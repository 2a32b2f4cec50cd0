using Handoff.Domain.Model;

namespace Handoff.Grains.Contacts;

/// <summary>The whole sidebar of a contact at one moment.</summary>
[GenerateSerializer, Immutable, Alias("handoff.ContactSnapshot")]
public sealed record ContactSnapshot
{
    [Id(0)] public required string TenantId { get; init; }
    [Id(1)] public required string ContactId { get; init; }
    [Id(2)] public required string DisplayName { get; init; }
    [Id(3)] public required string OwnerUserId { get; init; }
    [Id(4)] public required LifecycleStage Stage { get; init; }
    [Id(5)] public required PipelinePhase Phase { get; init; }
    [Id(6)] public required EngagementState Engagement { get; init; }
    [Id(7)] public required bool AutoEngage { get; init; }
    [Id(8)] public OutreachPauseState? Pause { get; init; }
    [Id(9)] public required bool Unsubscribed { get; init; }
    [Id(10)] public CardState? Card { get; init; }
    [Id(11)] public required DateTimeOffset CreatedAt { get; init; }
    [Id(12)] public required DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>Profile fields to change; null leaves a field as it is.</summary>
[GenerateSerializer, Immutable, Alias("handoff.ProfileUpdate")]
public sealed record ProfileUpdate
{
    [Id(0)] public string? DisplayName { get; init; }
    [Id(1)] public string? OwnerUserId { get; init; }
    [Id(2)] public LifecycleStage? Stage { get; init; }
    [Id(3)] public PipelinePhase? Phase { get; init; }
    [Id(4)] public string ActorUserId { get; init; } = "";
}

[GenerateSerializer, Immutable, Alias("handoff.IngestOutcome")]
public sealed record IngestOutcome([property: Id(0)] int Accepted, [property: Id(1)] int Duplicates);

[GenerateSerializer, Immutable, Alias("handoff.HistoryPage")]
public sealed record HistoryPage([property: Id(0)] IReadOnlyList<HistoryRecord> Entries, [property: Id(1)] long NextAfterSequence);

[GenerateSerializer, Immutable, Alias("handoff.OutboxPage")]
public sealed record OutboxPage([property: Id(0)] IReadOnlyList<OutreachMessageState> Messages, [property: Id(1)] int NextOffset);

[GenerateSerializer, Immutable, Alias("handoff.GateAnswer")]
public sealed record GateAnswer([property: Id(0)] DenialReason? DenialReason)
{
    public bool Allowed => DenialReason is null;
}
