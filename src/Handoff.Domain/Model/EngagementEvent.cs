namespace Handoff.Domain.Model;

/// <summary>One thing a contact did, or SI did to them, as the ingest pipeline reported it.</summary>
public sealed record EngagementEvent
{
    public required string EventId { get; init; }
    public required EventType Type { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public Channel? Channel { get; init; }
    /// <summary>Inbound message text: replies, SMS, call notes.</summary>
    public string? Text { get; init; }
    public bool PricingPage { get; init; }

    public DateTimeOffset? AppointmentTime { get; init; }
    public string? Feature { get; init; }
    public LifecycleStage? Stage { get; init; }
    public PipelinePhase? Phase { get; init; }
    public string? OwnerUserId { get; init; }

    /// <summary>
    /// When the event journal took the event in (the append time of its batch): set by the ingest pipeline and by the
    /// journal's reads, null on an event as sent and on the events a window gives back. A contact applies an event as
    /// of this time, live and on every replay alike (see <see cref="Contacts.AppendBatches"/>).
    /// </summary>
    public DateTimeOffset? AppendedAt { get; init; }

    /// <summary>The contact spoke to us: a reply, an SMS, an answered call.</summary>
    public bool IsInboundResponse => IsInboundResponseType(Type);

    /// <summary>The kinds of event in which the contact speaks to us.</summary>
    public static bool IsInboundResponseType(EventType type) => type is EventType.EmailReplied or EventType.SmsReceived or EventType.CallAnswered;

    /// <summary>Events that carry the contact's own words.</summary>
    public bool IsInboundMessage => IsInboundResponse && !string.IsNullOrWhiteSpace(Text);
}
