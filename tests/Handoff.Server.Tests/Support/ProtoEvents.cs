using Google.Protobuf.WellKnownTypes;
using Handoff.Protos.V1;

namespace Handoff.Server.Tests.Support;

/// <summary>
/// Builds wire events for one contact relative to a moment (normally now), so a test reads as a timeline.
/// Event ids are unique across the test run.
/// </summary>
public sealed class ProtoEvents(string contactId, DateTimeOffset now)
{
    private static int next;

    public ProtoEvents(string contactId)
        : this(contactId, DateTimeOffset.UtcNow)
    {
    }

    public DateTimeOffset Now { get; } = now;

    public static string NewEventId() => $"ev-{Interlocked.Increment(ref next):D6}";

    public EngagementEvent At(TimeSpan ago, EventType type, Channel channel = Channel.Unspecified, string text = "",
        bool pricingPage = false, DateTimeOffset? appointment = null, string feature = "") => new()
        {
            EventId = NewEventId(),
            ContactId = contactId,
            Type = type,
            OccurTime = Timestamp.FromDateTimeOffset(Now - ago),
            Channel = channel,
            Text = text,
            PricingPage = pricingPage,
            AppointmentTime = appointment is { } at ? Timestamp.FromDateTimeOffset(at) : null,
            Feature = feature,
        };

    /// <summary>An event that moves the score a little and raises nothing.</summary>
    public EngagementEvent Opened(TimeSpan ago) => At(ago, EventType.EmailOpened, Channel.Email);

    /// <summary>An inbound SMS asking for a person: adds NEEDS_HUMAN_JUDGEMENT to an active card (a new card version).</summary>
    public EngagementEvent AsksForAPerson(TimeSpan ago) =>
        At(ago, EventType.SmsReceived, Channel.Sms, text: "Can someone call me? I would rather talk to a person about this.");

    /// <summary>
    /// A WIN-phase contact whose engagement climbs fast over the last two days: buying signals and a critical moment
    /// (the wire twin of the grain tests' Events.RisingBuyer). Raises a card when the contact is SQL/WIN.
    /// </summary>
    public IReadOnlyList<EngagementEvent> RisingBuyer() =>
    [
        At(TimeSpan.FromHours(40), EventType.EmailOpened, Channel.Email),
        At(TimeSpan.FromHours(39), EventType.EmailClicked, Channel.Email),
        At(TimeSpan.FromHours(30), EventType.PageViewed, Channel.Web, pricingPage: true),
        At(TimeSpan.FromHours(20), EventType.FeatureExplored, Channel.Web, feature: "Webinars"),
        At(TimeSpan.FromHours(12), EventType.SmsReceived, Channel.Sms, text: "Thanks, this looks great. Happy to move forward."),
        At(TimeSpan.FromHours(10), EventType.ProposalViewed, Channel.Web),
        At(TimeSpan.FromHours(6), EventType.ProposalViewed, Channel.Web),
        At(TimeSpan.FromHours(5), EventType.AppointmentBooked, Channel.Meeting, appointment: Now + TimeSpan.FromHours(20)),
        At(TimeSpan.FromHours(3), EventType.AppointmentAttended, Channel.Meeting),
        At(TimeSpan.FromHours(2), EventType.CallAnswered, Channel.Call),
    ];
}
