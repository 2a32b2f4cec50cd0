using Handoff.Domain.Model;
using Handoff.Domain.Scoring;
using Handoff.Domain.Summary;
using Handoff.Domain.Triggers;

namespace Handoff.Server.Tests.Summaries;

/// <summary>One contact of the evaluation corpus: what it shows, and the summary input a card would be raised with.</summary>
public sealed record CorpusContact(string Label, SummaryInput Input);

/// <summary>
/// The summary evaluation corpus (issue #15, item 6): contacts generated from a fixed recipe, so every run sees the same
/// ones. A grid over every phase, stage, reason set, trend and sentiment, with event mixes from quiet to busy, and the
/// edge cases on top: no name, no events in the window, only events after "now", unsubscribed, many channels, one of
/// each event (singulars), events weeks old, and messages holding numbers, prices and card numbers no summary may quote.
/// The evidence reads as the trigger evaluator words it.
/// </summary>
public static class SummaryCorpus
{
    public static readonly DateTimeOffset Now = new(2026, 3, 4, 15, 0, 0, TimeSpan.Zero);

    /// <summary>Written into the contacts' messages; no summary may show them.</summary>
    public static readonly string[] SensitiveValues = ["4111 1111 1111 1111", "$900", "555-0142"];

    private static readonly string[] Names = ["Brandon Lee", "Alice Moreno", "", "Chen Wu", "Dana O'Neil", "Farid Haddad", "Eve", "María José Pérez"];

    private static readonly HandoffReason[][] ReasonSets =
    [
        [HandoffReason.BuyingSignals],
        [HandoffReason.AutomationExhausted],
        [HandoffReason.NeedsHumanJudgement],
        [HandoffReason.CriticalMoment],
        [HandoffReason.BuyingSignals, HandoffReason.CriticalMoment],
        [HandoffReason.NeedsHumanJudgement, HandoffReason.AutomationExhausted],
        [HandoffReason.BuyingSignals, HandoffReason.AutomationExhausted, HandoffReason.NeedsHumanJudgement, HandoffReason.CriticalMoment],
    ];

    public static IReadOnlyList<CorpusContact> Contacts()
    {
        var contacts = new List<CorpusContact>();
        for (var i = 0; i < 50; i++)
        {
            var phase = Enum.GetValues<PipelinePhase>()[i % 5];
            var stage = Enum.GetValues<LifecycleStage>()[i / 5 % 5];
            var trend = Enum.GetValues<Trend>()[i % 3];
            var score = 15 + (i * 37 % 86);
            var delta = trend switch { Trend.Rising => 10 + (i % 20), Trend.Falling => -(5 + (i % 15)), _ => i % 4 };
            var sentiment = Enum.GetValues<Sentiment>()[i % 4];
            var name = Names[i % Names.Length];
            var events = EventMix(i);
            contacts.Add(Contact(
                $"grid {i:D2}: {phase} {stage} {string.Join('+', ReasonSets[i % ReasonSets.Length])}, {events.Count} events{(name.Length == 0 ? ", no name" : "")}",
                name, stage, phase, new EngagementAssessment(score, trend, delta, sentiment), ReasonSets[i % ReasonSets.Length], events, score, delta));
        }

        var edge = new EngagementAssessment(64, Trend.Steady, 1, Sentiment.Unknown);
        contacts.Add(Contact("edge: no name, no events in the window", "", LifecycleStage.Lead, PipelinePhase.Discover, edge, [HandoffReason.AutomationExhausted], [], 64, 1));
        contacts.Add(Contact("edge: only events after now", "Brandon Lee", LifecycleStage.Sql, PipelinePhase.Win, edge, [HandoffReason.CriticalMoment],
            [Event(EventType.ProposalViewed, -3), Event(EventType.AppointmentBooked, -1)], 64, 1));
        contacts.Add(Contact("edge: unsubscribed after replying", "Alice Moreno", LifecycleStage.Mql, PipelinePhase.Nurture,
            new EngagementAssessment(22, Trend.Falling, -30, Sentiment.Negative), [HandoffReason.NeedsHumanJudgement],
            [Event(EventType.EmailReplied, 30, text: "Stop emailing me, call 555-0142 if you must"), Event(EventType.Unsubscribed, 29)], 22, -30));
        contacts.Add(Contact("edge: many channels", "Chen Wu", LifecycleStage.Opportunity, PipelinePhase.Engage,
            new EngagementAssessment(58, Trend.Rising, 12, Sentiment.Neutral), [HandoffReason.AutomationExhausted],
            [
                Event(EventType.SiTouchSent, 90, Channel.Email), Event(EventType.SiTouchSent, 70, Channel.Sms), Event(EventType.SiTouchSent, 50, Channel.Call),
                Event(EventType.SiTouchSent, 30, Channel.Web), Event(EventType.SiTouchSent, 10, Channel.Meeting), Event(EventType.EmailOpened, 8, Channel.Email),
                Event(EventType.PageViewed, 6, Channel.Web),
            ], 58, 12));
        contacts.Add(Contact("edge: one of each (singulars)", "Eve", LifecycleStage.Customer, PipelinePhase.Closed,
            new EngagementAssessment(41, Trend.Steady, 0, Sentiment.Positive), [HandoffReason.BuyingSignals],
            [.. new[] { EventType.EmailReplied, EventType.SmsReceived, EventType.CallAnswered, EventType.FormSubmitted, EventType.AppointmentAttended, EventType.EmailClicked }
                .Select((type, n) => Event(type, 3 + n))], 41, 0));
        contacts.Add(Contact("edge: events weeks old", "Farid Haddad", LifecycleStage.Lead, PipelinePhase.Nurture,
            new EngagementAssessment(18, Trend.Falling, -9, Sentiment.Unknown), [HandoffReason.AutomationExhausted],
            [Event(EventType.ProposalViewed, 24 * 20), Event(EventType.AppointmentNoShow, 24 * 12), Event(EventType.SiTouchSent, 24 * 9, Channel.Email)], 18, -9));
        contacts.Add(Contact("edge: a message with a card number and a price", "Dana O'Neil", LifecycleStage.Sql, PipelinePhase.Win,
            new EngagementAssessment(77, Trend.Rising, 21, Sentiment.Negative), [HandoffReason.NeedsHumanJudgement, HandoffReason.BuyingSignals],
            [Event(EventType.SmsReceived, 2, Channel.Sms, "Can you do $900? My card is 4111 1111 1111 1111"), Event(EventType.ProposalViewed, 1)], 77, 21));
        return contacts;
    }

    /// <summary>From quiet to busy: what the contact did, SI's touches, a feature by name, the pricing page.</summary>
    private static List<EngagementEvent> EventMix(int i) => (i % 6) switch
    {
        0 => [],
        1 => [Event(EventType.EmailOpened, 5, Channel.Email), Event(EventType.SiTouchSent, 30, Channel.Email), Event(EventType.SiTouchSent, 50, Channel.Sms)],
        2 => [Event(EventType.AppointmentBooked, 20), Event(EventType.AppointmentBooked, 44), Event(EventType.ProposalViewed, 3), Event(EventType.ProposalViewed, 6),
            Event(EventType.PageViewed, 8) with { PricingPage = true }],
        3 => [Event(EventType.FeatureExplored, 12) with { Feature = "Phona" }, Event(EventType.FeatureExplored, 30) with { Feature = "Webinars" },
            Event(EventType.SmsReceived, 4, Channel.Sms, "Is it ok to talk Tuesday? My number is 555-0142")],
        4 => [Event(EventType.AppointmentCancelled, 70), Event(EventType.AppointmentNoShow, 100), Event(EventType.EmailClicked, 26, Channel.Email)],
        _ => [Event(EventType.EmailReplied, 2, Channel.Email, "We need to talk about price, $900 is too much"), Event(EventType.CallAnswered, 28, Channel.Call),
            Event(EventType.FormSubmitted, 75), Event(EventType.AppointmentAttended, 150)],
    };

    private static CorpusContact Contact(string label, string name, LifecycleStage stage, PipelinePhase phase, EngagementAssessment assessment,
        HandoffReason[] reasons, List<EngagementEvent> events, int score, int delta) =>
        new(label, new SummaryInput(
            new ContactProfile("corpus-" + string.Concat(label.Where(char.IsLetterOrDigit)), name, "owner-1", stage, phase),
            assessment,
            [.. reasons.Select(r => new ReasonFinding(r, Evidence(r, phase, events, score, delta)))],
            events,
            Now));

    /// <summary>Evidence as the trigger evaluator words it (EvidenceWording), quotes of the contact's messages included.</summary>
    private static List<string> Evidence(HandoffReason reason, PipelinePhase phase, List<EngagementEvent> events, int score, int delta) => reason switch
    {
        HandoffReason.BuyingSignals => [$"Score {score} and rising (+{Math.Abs(delta)} in 3 days) in the {phase.ToString().ToUpperInvariant()} phase"],
        HandoffReason.AutomationExhausted => ["6 automated touches over email and SMS, none answered; the contact has never responded"],
        HandoffReason.NeedsHumanJudgement => events.FirstOrDefault(e => e.Text is not null) is { } said
            ? [$"Asked about price or terms: \"{said.Text}\""]
            : ["Asked to speak with a person"],
        _ => ["Viewed the proposal twice in the last 48 hours", $"Meeting booked for 18 hours from now, in the {phase.ToString().ToUpperInvariant()} phase"],
    };

    private static EngagementEvent Event(EventType type, double hoursAgo, Channel? channel = null, string? text = null) => new()
    {
        EventId = $"corpus-{type}-{hoursAgo}-{Guid.NewGuid():N}",
        Type = type,
        OccurredAt = Now.AddHours(-hoursAgo),
        Channel = channel,
        Text = text,
    };
}
