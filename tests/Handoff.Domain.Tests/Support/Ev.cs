using Handoff.Domain.Model;

namespace Handoff.Domain.Tests.Support;

/// <summary>Builds engagement events relative to a fixed <see cref="Now"/>, with unique ids.</summary>
internal static class Ev
{
    public static readonly DateTimeOffset Now = new(2025, 6, 2, 12, 0, 0, TimeSpan.Zero);

    private static int nextId;

    public static EngagementEvent At(EventType type, DateTimeOffset at, Channel? channel = null) => new()
    {
        EventId = $"evt-{Interlocked.Increment(ref nextId):D6}",
        Type = type,
        OccurredAt = at,
        Channel = channel,
    };

    public static EngagementEvent HoursAgo(EventType type, double hours, Channel? channel = null) =>
        At(type, Now.AddHours(-hours), channel);

    public static EngagementEvent DaysAgo(EventType type, double days) => At(type, Now.AddDays(-days));

    /// <summary>An inbound SMS with the contact's words.</summary>
    public static EngagementEvent Sms(string text, double hoursAgo) =>
        HoursAgo(EventType.SmsReceived, hoursAgo, Channel.Sms) with { Text = text };

    public static EngagementEvent Touch(Channel channel, double hoursAgo) =>
        HoursAgo(EventType.SiTouchSent, hoursAgo, channel);

    public static EngagementEvent Meeting(double bookedHoursAgo, double inHours) =>
        HoursAgo(EventType.AppointmentBooked, bookedHoursAgo, Channel.Meeting) with { AppointmentTime = Now.AddHours(inHours) };

    public static EngagementEvent Feature(string name, double hoursAgo) =>
        HoursAgo(EventType.FeatureExplored, hoursAgo, Channel.Web) with { Feature = name };

    /// <summary>An event with every field set, its times in two zones other than UTC: for what must give back each field as it came.</summary>
    public static EngagementEvent WithEveryField(string text) => new()
    {
        EventId = "e-booked",
        Type = EventType.AppointmentBooked,
        OccurredAt = Now.AddHours(-3).ToOffset(TimeSpan.FromHours(-5)),
        Channel = Channel.Meeting,
        Text = text,
        PricingPage = true,
        AppointmentTime = Now.AddDays(2).ToOffset(TimeSpan.FromHours(5.5)),
        Feature = "Forecasting",
        Stage = LifecycleStage.Opportunity,
        Phase = PipelinePhase.Win,
        OwnerUserId = "u-7",
    };
}
