using Handoff.Domain.Model;
using Handoff.Grains.Contacts;

namespace Handoff.Grains.Tests.Support;

/// <summary>Builds stored events relative to a moment, so a test reads as a timeline.</summary>
public sealed class Events(DateTimeOffset now)
{
    private int next;

    public StoredEvent At(TimeSpan ago, EventType type, Channel? channel = null, string? text = null,
        bool pricingPage = false, DateTimeOffset? appointment = null, string? feature = null,
        PipelinePhase? phase = null, LifecycleStage? stage = null, string? owner = null) => new()
    {
        EventId = $"e{Interlocked.Increment(ref next):D4}",
        Type = type,
        OccurredAt = now - ago,
        Channel = channel,
        Text = text,
        PricingPage = pricingPage,
        AppointmentTime = appointment,
        Feature = feature,
        Phase = phase,
        Stage = stage,
        OwnerUserId = owner,
    };

    /// <summary>A WIN-phase contact whose engagement climbs fast over the last two days: buying signals and a critical moment.</summary>
    public IReadOnlyList<StoredEvent> RisingBuyer() =>
    [
        At(TimeSpan.FromHours(40), EventType.EmailOpened, Channel.Email),
        At(TimeSpan.FromHours(39), EventType.EmailClicked, Channel.Email),
        At(TimeSpan.FromHours(30), EventType.PageViewed, Channel.Web, pricingPage: true),
        At(TimeSpan.FromHours(20), EventType.FeatureExplored, Channel.Web, feature: "Webinars"),
        At(TimeSpan.FromHours(12), EventType.SmsReceived, Channel.Sms, text: "Thanks, this looks great. Happy to move forward."),
        At(TimeSpan.FromHours(10), EventType.ProposalViewed, Channel.Web),
        At(TimeSpan.FromHours(6), EventType.ProposalViewed, Channel.Web),
        At(TimeSpan.FromHours(5), EventType.AppointmentBooked, Channel.Meeting, appointment: now + TimeSpan.FromHours(20)),
        At(TimeSpan.FromHours(3), EventType.AppointmentAttended, Channel.Meeting),
        At(TimeSpan.FromHours(2), EventType.CallAnswered, Channel.Call),
    ];
}
