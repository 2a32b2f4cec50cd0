using Handoff.Domain.Model;
using Handoff.Domain.Outreach;

namespace Handoff.Grains.Contacts;

/// <summary>
/// The one place where the contact's stored and exchanged records (whose format is stored, or crosses a grain call)
/// become the domain's types its rules work on, and back: the events (from the journal, a grain call, the stored
/// window) and the outbound queue.
/// </summary>
internal static class ContactStateMapping
{
    public static EngagementEvent ToDomain(this StoredEvent e) => new()
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
    };

    public static StoredEvent ToStored(this EngagementEvent e) => new()
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
    };

    public static OutreachMessage ToDomain(this OutreachMessageState m) => new()
    {
        MessageId = m.MessageId,
        Source = m.Source,
        Channel = m.Channel,
        Subject = m.Subject,
        Body = m.Body,
        Status = m.Status switch
        {
            MessageStatus.Queued => OutreachStatus.Queued,
            MessageStatus.Held => OutreachStatus.Held,
            MessageStatus.Claimed => OutreachStatus.Claimed,
            _ => throw new ArgumentOutOfRangeException(nameof(m), m.Status, "Unknown message status."),
        },
        HoldReason = m.HoldReason,
        QueuedAt = m.QueuedAt,
        SendAfter = m.SendAfter,
        ClaimedAt = m.ClaimedAt,
        QueuedByUserId = m.QueuedByUserId,
    };

    public static OutreachMessageState ToStored(this OutreachMessage m) => new()
    {
        MessageId = m.MessageId,
        Source = m.Source,
        Channel = m.Channel,
        Subject = m.Subject,
        Body = m.Body,
        Status = m.Status switch
        {
            OutreachStatus.Queued => MessageStatus.Queued,
            OutreachStatus.Held => MessageStatus.Held,
            OutreachStatus.Claimed => MessageStatus.Claimed,
            _ => throw new ArgumentOutOfRangeException(nameof(m), m.Status, "Unknown message status."),
        },
        HoldReason = m.HoldReason,
        QueuedAt = m.QueuedAt,
        SendAfter = m.SendAfter,
        ClaimedAt = m.ClaimedAt,
        QueuedByUserId = m.QueuedByUserId,
    };

    public static OutreachRequest ToDomain(this NewOutreachMessage m) => new()
    {
        MessageId = m.MessageId,
        Source = m.Source,
        Channel = m.Channel,
        Subject = m.Subject,
        Body = m.Body,
        SendAfter = m.SendAfter,
        ActorUserId = m.ActorUserId,
    };
}
