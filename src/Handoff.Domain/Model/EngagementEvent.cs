namespace Handoff.Domain.Model;

/// <summary>One thing a contact did, or SI did to them, as the ingest pipeline reported it.</summary>
/// <remarks>
/// A contact keeps each of its recent events in memory, and each new one outlives the next garbage collections, so the
/// object is kept small: the fields only some kinds of event carry (an appointment, a feature, a stage, a phase, an
/// owner) live in a <see cref="EventDetails"/> of their own, absent from the events that carry none of them, which are
/// most (measured in docs/ingest-durability.md).
/// </remarks>
public sealed record EngagementEvent
{
    private EventDetails? details;

    public required string EventId { get; init; }
    public required EventType Type { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public Channel? Channel { get; init; }
    /// <summary>Inbound message text: replies, SMS, call notes.</summary>
    public string? Text { get; init; }
    public bool PricingPage { get; init; }

    public DateTimeOffset? AppointmentTime
    {
        get => details?.AppointmentTime;
        init => details = value is null && details is null ? null : Normalized((details ?? EventDetails.None) with { AppointmentTime = value });
    }

    public string? Feature
    {
        get => details?.Feature;
        init => details = value is null && details is null ? null : Normalized((details ?? EventDetails.None) with { Feature = value });
    }

    public LifecycleStage? Stage
    {
        get => details?.Stage;
        init => details = value is null && details is null ? null : Normalized((details ?? EventDetails.None) with { Stage = value });
    }

    public PipelinePhase? Phase
    {
        get => details?.Phase;
        init => details = value is null && details is null ? null : Normalized((details ?? EventDetails.None) with { Phase = value });
    }

    public string? OwnerUserId
    {
        get => details?.OwnerUserId;
        init => details = value is null && details is null ? null : Normalized((details ?? EventDetails.None) with { OwnerUserId = value });
    }

    /// <summary>The contact spoke to us: a reply, an SMS, an answered call.</summary>
    public bool IsInboundResponse => IsInboundResponseType(Type);

    /// <summary>The kinds of event in which the contact speaks to us.</summary>
    public static bool IsInboundResponseType(EventType type) => type is EventType.EmailReplied or EventType.SmsReceived or EventType.CallAnswered;

    /// <summary>Events that carry the contact's own words.</summary>
    public bool IsInboundMessage => IsInboundResponse && !string.IsNullOrWhiteSpace(Text);

    /// <summary>
    /// Details left with no field set are no details, so that an event is equal to one built without them. Each field
    /// is set on a new record: a <c>with</c> copy of the event shares its original's details, which must not change.
    /// </summary>
    private static EventDetails? Normalized(EventDetails set) => set == EventDetails.None ? null : set;

    /// <summary>The fields of an event that only some kinds carry; compared by value, as the event is.</summary>
    private sealed record EventDetails
    {
        public static readonly EventDetails None = new();

        public DateTimeOffset? AppointmentTime { get; init; }
        public string? Feature { get; init; }
        public LifecycleStage? Stage { get; init; }
        public PipelinePhase? Phase { get; init; }
        public string? OwnerUserId { get; init; }
    }
}
