using Handoff.Domain.Model;

namespace Handoff.Grains.Handoffs;

/// <summary>One active card in the tenant's list of handoffs.</summary>
[GenerateSerializer, Immutable, Alias("handoff.ActiveHandoffEntry")]
public sealed record ActiveHandoffEntry
{
    [Id(0)] public required string ContactId { get; init; }
    [Id(1)] public required string ContactDisplayName { get; init; }
    [Id(2)] public required string OwnerUserId { get; init; }
    [Id(3)] public required string CardId { get; init; }
    [Id(4)] public required int CardVersion { get; init; }
    [Id(5)] public required IReadOnlyList<HandoffReason> Reasons { get; init; }
    [Id(6)] public required int ScoreAtRaise { get; init; }
    [Id(7)] public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>
    /// When the card escalates to the team inbox if nobody acts on it (its raise plus the SLA); null once it has
    /// escalated or someone acted on it. The index keeps the tenant's escalations by these times.
    /// </summary>
    [Id(8)] public DateTimeOffset? EscalatesAt { get; init; }
}

public enum OwnerFilter { All = 1, Owner = 2, Unassigned = 3 }

[GenerateSerializer, Immutable, Alias("handoff.ActiveHandoffPage")]
public sealed record ActiveHandoffPage(
    [property: Id(0)] IReadOnlyList<ActiveHandoffEntry> Handoffs,
    [property: Id(1)] int NextOffset);
