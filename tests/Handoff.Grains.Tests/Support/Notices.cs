using Handoff.Domain.Model;
using Handoff.Grains.Notifications;

namespace Handoff.Grains.Tests.Support;

/// <summary>Handoff notices about card n of contact n, for the inbox tests.</summary>
public static class Notices
{
    public static NotificationNotice About(int n, DateTimeOffset at, int version = 1) => new()
    {
        DeliveryId = $"card-{n}:delivery",
        Kind = NotificationKind.Handoff,
        Priority = NotificationPriority.High,
        ContactId = $"contact-{n}",
        ContactDisplayName = $"Contact {n}",
        CardId = $"card-{n}",
        CardVersion = version,
        Title = $"SI Human Handoff: Contact {n} needs you now",
        Summary = "Summary.",
        Reasons = [HandoffReason.BuyingSignals],
        At = at,
    };
}
