using Handoff.Domain.Model;

namespace Handoff.Grains.Contacts;

/// <summary>Stored events to and from the domain's events.</summary>
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
