using FsCheck;
using FsCheck.Fluent;
using Handoff.Domain.Model;

namespace Handoff.Domain.Tests.Evaluation;

/// <summary>One event of a generated history, its times in minutes relative to the append time of its batch.</summary>
public sealed record EventSpec(int Id, EventType Type, int MinutesBeforeAppend, Channel? Channel, string? Text, bool PricingPage, int? AppointmentInMinutes)
{
    public EngagementEvent ToEvent(DateTimeOffset appendedAt) => new()
    {
        EventId = $"e{Id}",
        Type = Type,
        OccurredAt = appendedAt.AddMinutes(-MinutesBeforeAppend),
        Channel = Channel,
        Text = Text,
        PricingPage = PricingPage,
        AppointmentTime = AppointmentInMinutes is { } m ? appendedAt.AddMinutes(m) : null,
    };
}

/// <summary>
/// A batch applied as of its append time (minutes after the previous batch's, sometimes before it), then evaluated at that
/// time and at a second moment, for a contact in <paramref name="Phase"/> last handled <paramref name="HandledMinutesAgo"/>
/// before the append time (null: never).
/// </summary>
public sealed record BatchSpec(
    int AppendAfterMinutes, IReadOnlyList<EventSpec> Events, int AskAfterMinutes, int? HandledMinutesAgo, PipelinePhase Phase,
    IReadOnlyList<HandoffReason>? ActiveCardReasons, IReadOnlyList<HandoffReason>? ResumedReasons, int ResumedMinutesAgo)
{
    public override string ToString() =>
        $"batch +{AppendAfterMinutes} min, ask +{AskAfterMinutes}, handled {HandledMinutesAgo?.ToString() ?? "never"}, {Phase}, "
        + $"active [{string.Join(",", ActiveCardReasons ?? [])}], resumed [{string.Join(",", ResumedReasons ?? [])}] {ResumedMinutesAgo} min ago: "
        + string.Join("; ", Events);
}

/// <summary>A contact's history: a window bound (small, so that eviction by count happens often) and its batches.</summary>
public sealed record HistoryScenario(int MaxRecentEvents, IReadOnlyList<BatchSpec> Batches)
{
    public override string ToString() => $"max {MaxRecentEvents} events:\n  " + string.Join("\n  ", Batches);
}

/// <summary>Random histories that make every reason fire now and then: touches, views, bookings, messages with requests and tones.</summary>
public static class HistoryScenarios
{
    private const int Day = 24 * 60;

    private static readonly string?[] Texts =
    [
        null, "   ", "Can someone call me?", "Is there a discount for annual billing?", "We need the contract reviewed by our lawyer",
        "This is unacceptable, I want a refund", "Thanks, this looks great", "ok, Tuesday works", "not happy with the price",
        "I love it but it's too expensive", "Please stop emailing me, this is spam", "Not bad at all, thanks",
    ];

    private static readonly EventType[] Frequent =
    [
        EventType.SiTouchSent, EventType.ProposalViewed, EventType.AppointmentBooked, EventType.AppointmentCancelled,
        EventType.SmsReceived, EventType.EmailReplied, EventType.CallAnswered, EventType.PageViewed,
    ];

    public static Arbitrary<HistoryScenario> Histories() => Arb.From(Scenario());

    private static Gen<HistoryScenario> Scenario() =>
        from max in Gen.Frequency((3, Gen.Choose(1, 25)), (1, Gen.Choose(26, 200)))
        from count in Gen.Choose(1, 25)
        from batches in Gen.ListOf(Batch(), count)
        select new HistoryScenario(max, batches);

    private static Gen<BatchSpec> Batch() =>
        from after in Gen.Frequency((1, Gen.Choose(-3 * 60, 0)), (4, Gen.Choose(0, 3 * Day)), (1, Gen.Choose(3 * Day, 20 * Day)))
        from count in Gen.Choose(1, 12)
        from events in Gen.ListOf(Event(), count)
        from ask in Gen.Frequency((2, Gen.Constant(0)), (3, Gen.Choose(-Day, 5 * Day)))
        from handled in Gen.Frequency((2, Gen.Constant<int?>(null)), (1, Gen.Choose(0, 10 * Day).Select(m => (int?)m)))
        from phase in Gen.Frequency((3, Gen.Constant(PipelinePhase.Win)), (1, Gen.Elements(Enum.GetValues<PipelinePhase>())))
        from active in Reasons()
        from resumed in Reasons()
        from resumedAgo in Gen.Choose(0, 3 * Day)
        select new BatchSpec(after, events, ask, handled, phase, active, resumed, resumedAgo);

    private static Gen<IReadOnlyList<HandoffReason>?> Reasons() =>
        Gen.Frequency(
            (2, Gen.Constant<IReadOnlyList<HandoffReason>?>(null)),
            (1, Gen.SubListOf(Enum.GetValues<HandoffReason>()).Select(r => (IReadOnlyList<HandoffReason>?)r.ToList())));

    private static Gen<EventSpec> Event() =>
        from id in Gen.Frequency((4, Gen.Choose(0, 100_000)), (1, Gen.Choose(0, 5)))
        from type in Gen.Frequency((3, Gen.Elements(Frequent)), (1, Gen.Elements(Enum.GetValues<EventType>())))
        from before in Gen.Frequency((3, Gen.Choose(0, 2 * Day)), (2, Gen.Choose(0, 15 * Day)), (1, Gen.Choose(-120, 0)), (1, Gen.Constant(30)))
        from channel in Gen.Elements<Channel?>(null, Channel.Email, Channel.Sms, Channel.Call, Channel.Web, Channel.Meeting)
        from text in Gen.Elements(Texts)
        from pricing in Gen.Elements(false, true)
        from appointment in Gen.Frequency((1, Gen.Constant<int?>(null)), (2, Gen.Choose(-60, 3 * Day).Select(m => (int?)m)))
        select new EventSpec(id, type, before, channel, text, pricing, appointment);
}
