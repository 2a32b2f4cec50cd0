using Handoff.Domain.Model;

namespace Handoff.Grains.Contacts;

/// <summary>
/// The one conversion between an event as it crosses a boundary (the journal, a grain call, the stored state: a
/// <see cref="StoredEvent"/>, whose format is stored) and the event the contact's rules work on.
/// </summary>
internal static class EventMapping
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
}
