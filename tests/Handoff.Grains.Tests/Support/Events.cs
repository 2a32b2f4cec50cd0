using Handoff.Domain.Model;
using Handoff.Grains.Contacts;

namespace Handoff.Grains.Tests.Support;

/// <summary>
/// Builds stored events relative to a moment, so a test reads as a timeline. Event ids are unique across every
/// instance, so a test can build a second timeline for the same contact without its events being taken for replays.
/// </summary>
public sealed class Events(DateTimeOffset now)
{
    private static int next;

    public EngagementEvent At(TimeSpan ago, EventType type, Channel? channel = null, string? text = null,
        bool pricingPage = false, DateTimeOffset? appointment = null, string? feature = null,
        PipelinePhase? phase = null, LifecycleStage? stage = null, string? owner = null) => new()
        {
            EventId = $"e{Interlocked.Increment(ref next):D6}",
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
    public IReadOnlyList<EngagementEvent> RisingBuyer() =>
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

    /// <summary>An inbound SMS asking for a person: NEEDS_HUMAN_JUDGEMENT.</summary>
    public EngagementEvent AsksForAPerson(TimeSpan ago) =>
        At(ago, EventType.SmsReceived, Channel.Sms, text: "Can someone call me? I would rather talk to a person about this.");

    /// <summary>The contact unsubscribes.</summary>
    public EngagementEvent Unsubscribe(TimeSpan ago) => At(ago, EventType.Unsubscribed, Channel.Email);

    /// <summary>The pipeline reports a new owner (empty: unassigned).</summary>
    public EngagementEvent OwnerChanged(TimeSpan ago, string owner) => At(ago, EventType.OwnerChanged, owner: owner);
}
