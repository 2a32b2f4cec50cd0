using Handoff.Domain.Model;

namespace Handoff.Grains.Contacts;

/// <summary>An engagement event as the contact grain receives and keeps it.</summary>
[GenerateSerializer, Immutable, Alias("handoff.StoredEvent")]
public sealed record StoredEvent
{
    [Id(0)] public required string EventId { get; init; }
    [Id(1)] public required EventType Type { get; init; }
    [Id(2)] public required DateTimeOffset OccurredAt { get; init; }
    [Id(3)] public Channel? Channel { get; init; }
    [Id(4)] public string? Text { get; init; }
    [Id(5)] public bool PricingPage { get; init; }
    [Id(6)] public DateTimeOffset? AppointmentTime { get; init; }
    [Id(7)] public string? Feature { get; init; }
    [Id(8)] public LifecycleStage? Stage { get; init; }
    [Id(9)] public PipelinePhase? Phase { get; init; }
    [Id(10)] public string? OwnerUserId { get; init; }

    /// <summary>
    /// When the event journal took the event in (the append time of its batch); set by the journal's reads and by the
    /// ingest pipeline, null on the event as sent. The contact applies the event as of this time, live and on every
    /// replay alike, so that what it derives from the event (audit times, card times, the evaluation) is the same each
    /// time. A silo of the previous version calls without it; the contact then applies the event as of its own clock.
    /// </summary>
    [Id(11)] public DateTimeOffset? AppendedAt { get; init; }
}
