using System.Buffers;
using Handoff.Domain.Model;
using Orleans.Serialization.Buffers;
using Orleans.Serialization.Cloning;
using Orleans.Serialization.Codecs;
using Orleans.Serialization.Serializers;
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
/// written (as the field's own type, so no type name goes with it), and reads it back. The write goes from the event's
/// own values, field by field as the record's generated codec writes them, so that no record is built for every event
/// a journal row or a grain call carries; the stored-format tests hold the bytes.
/// </summary>
[RegisterSerializer]
public sealed class EngagementEventCodec(IFieldCodec<StoredEvent> stored, ICodecProvider codecs) : IFieldCodec<EngagementEvent>
{
    private static readonly Type StoredType = typeof(StoredEvent);

    private readonly IFieldCodec<EventType> types = codecs.GetCodec<EventType>();
    private readonly IFieldCodec<Channel?> channels = codecs.GetCodec<Channel?>();
    private readonly IFieldCodec<DateTimeOffset?> times = codecs.GetCodec<DateTimeOffset?>();
    private readonly IFieldCodec<LifecycleStage?> stages = codecs.GetCodec<LifecycleStage?>();
    private readonly IFieldCodec<PipelinePhase?> phases = codecs.GetCodec<PipelinePhase?>();

    public void WriteField<TBufferWriter>(ref Writer<TBufferWriter> writer, uint fieldIdDelta, Type? expectedType, EngagementEvent? value)
        where TBufferWriter : IBufferWriter<byte>
    {
        if (ReferenceCodec.TryWriteReferenceField(ref writer, fieldIdDelta, StoredType, value))
        {
            return;
        }

        // The field ids are StoredEvent's [Id]s, each written as its distance from the one before.
        writer.WriteStartObject(fieldIdDelta, StoredType, StoredType);
        writer.WriteEndBase();
        StringCodec.WriteField(ref writer, 0, value!.EventId);
        types.WriteField(ref writer, 1, typeof(EventType), value.Type);
        DateTimeOffsetCodec.WriteField(ref writer, 1, value.OccurredAt);
        channels.WriteField(ref writer, 1, typeof(Channel?), value.Channel);
        StringCodec.WriteField(ref writer, 1, value.Text);
        BoolCodec.WriteField(ref writer, 1, value.PricingPage);
        times.WriteField(ref writer, 1, typeof(DateTimeOffset?), value.AppointmentTime);
        StringCodec.WriteField(ref writer, 1, value.Feature);
        stages.WriteField(ref writer, 1, typeof(LifecycleStage?), value.Stage);
        phases.WriteField(ref writer, 1, typeof(PipelinePhase?), value.Phase);
        StringCodec.WriteField(ref writer, 1, value.OwnerUserId);
        times.WriteField(ref writer, 1, typeof(DateTimeOffset?), value.AppendedAt);
        writer.WriteEndObject();
    }

    public EngagementEvent ReadValue<TInput>(ref Reader<TInput> reader, Field field) => stored.ReadValue(ref reader, field)?.ToEvent()!;
}

/// <summary>An event is immutable (a record of init-only values): a grain call within the silo passes it as it is, not a copy.</summary>
[RegisterCopier]
public sealed class EngagementEventCopier : ShallowCopier<EngagementEvent>;
