using Handoff.Domain.Model;

namespace Handoff.Grains.Contacts;

/// <summary>The facts a card's summary was written from, as stored with the card (the domain's FactSheet).</summary>
[GenerateSerializer, Immutable, Alias("handoff.FactSheetRecord")]
public sealed record FactSheetRecord
{
    [Id(0)] public required string Name { get; init; }
    [Id(1)] public required LifecycleStage Stage { get; init; }
    [Id(2)] public required PipelinePhase Phase { get; init; }
    [Id(3)] public required int Score { get; init; }
    [Id(4)] public required Trend Trend { get; init; }
    [Id(5)] public required int TrendDelta { get; init; }
    [Id(6)] public required Sentiment Sentiment { get; init; }
    [Id(7)] public required IReadOnlyList<FactEventRecord> Events { get; init; }
    [Id(8)] public required IReadOnlyList<string> Features { get; init; }
    [Id(9)] public FactOutreachRecord? Outreach { get; init; }
    [Id(10)] public required IReadOnlyList<ReasonRecord> Reasons { get; init; }
    [Id(11)] public required DateTimeOffset AsOf { get; init; }
}

[GenerateSerializer, Immutable, Alias("handoff.FactEventRecord")]
public sealed record FactEventRecord(
    [property: Id(0)] EventType Kind,
    [property: Id(1)] int Count,
    [property: Id(2)] DateTimeOffset LastAt,
    [property: Id(3)] bool PricingPage);

[GenerateSerializer, Immutable, Alias("handoff.FactOutreachRecord")]
public sealed record FactOutreachRecord(
    [property: Id(0)] int Touches,
    [property: Id(1)] IReadOnlyList<Channel> Channels,
    [property: Id(2)] DateTimeOffset LastAt);
