using System.Buffers;
using Handoff.Domain.Model;
using Orleans.Serialization.Buffers;
using Orleans.Serialization.Cloning;
using Orleans.Serialization.Codecs;
using Orleans.Serialization.WireProtocol;

namespace Handoff.Grains.Contacts;

/// <summary>
/// The serialized form of an <see cref="EngagementEvent"/>: in the journal's rows, in states written before the window
/// was packed, and wherever an event crosses a grain call. Code works on the domain's event alone;
/// <see cref="EngagementEventCodec"/> writes and reads it as this record, whose ids and alias are those the journal and
/// the states have always held.
/// </summary>
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

    /// <summary>A silo of the previous version calls without it; the contact then applies the event as of its own clock.</summary>
    [Id(11)] public DateTimeOffset? AppendedAt { get; init; }

    public static StoredEvent From(EngagementEvent e) => new()
    {
        EventId = e.EventId,
        Type = e.Type,
        OccurredAt = e.OccurredAt,
        Channel = e.Channel,
        Text = e.Text,
        PricingPage = e.PricingPage,
        AppointmentTime = e.AppointmentTime,
        Feature = e.Feature,
        Stage = e.Stage,
        Phase = e.Phase,
        OwnerUserId = e.OwnerUserId,
        AppendedAt = e.AppendedAt,
    };

    public EngagementEvent ToEvent() => new()
    {
        EventId = EventId,
        Type = Type,
        OccurredAt = OccurredAt,
        Channel = Channel,
        Text = Text,
        PricingPage = PricingPage,
        AppointmentTime = AppointmentTime,
        Feature = Feature,
        Stage = Stage,
        Phase = Phase,
        OwnerUserId = OwnerUserId,
        AppendedAt = AppendedAt,
    };
}

/// <summary>
/// Writes an <see cref="EngagementEvent"/> as a <see cref="StoredEvent"/>, byte for byte as the record was always
/// written (as the field's own type, so no type name goes with it), and reads it back.
/// </summary>
[RegisterSerializer]
public sealed class EngagementEventCodec(IFieldCodec<StoredEvent> stored) : IFieldCodec<EngagementEvent>
{
    public void WriteField<TBufferWriter>(ref Writer<TBufferWriter> writer, uint fieldIdDelta, Type? expectedType, EngagementEvent? value)
        where TBufferWriter : IBufferWriter<byte> =>
        stored.WriteField(ref writer, fieldIdDelta, typeof(StoredEvent), value is null ? null : StoredEvent.From(value));

    public EngagementEvent ReadValue<TInput>(ref Reader<TInput> reader, Field field) => stored.ReadValue(ref reader, field)?.ToEvent()!;
}

/// <summary>An event is immutable (a record of init-only values): a grain call within the silo passes it as it is, not a copy.</summary>
[RegisterCopier]
public sealed class EngagementEventCopier : ShallowCopier<EngagementEvent>;
