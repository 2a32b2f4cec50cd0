using System.Text.RegularExpressions;
using Handoff.Domain.Model;
using Handoff.Domain.Scoring;
using Handoff.Domain.Summary;
using Handoff.Domain.Tests.Support;
using Handoff.Domain.Triggers;

namespace Handoff.Domain.Tests.Summary;

public sealed class DeterministicSummaryWriterTests
{
    private static readonly DateTimeOffset Now = Ev.Now;
    private readonly DeterministicSummaryWriter writer = new();

    private static SummaryInput Input(
        IReadOnlyList<EngagementEvent> events,
        EngagementAssessment? assessment = null,
        ContactProfile? profile = null,
        params HandoffReason[] reasons) =>
        new(
            profile ?? TestDomain.Profile(),
            assessment ?? TestDomain.Assessment(82, Trend.Rising, 24, Sentiment.Positive),
            [.. reasons.Select(Findings.Of)],
            events,
            Now);

    private static int Sentences(string text) => Regex.Matches(text, @"[.!?](\s|$)").Count;

    private static readonly EngagementEvent[] BusyWeek =
    [
        Ev.HoursAgo(EventType.AppointmentBooked, 100), Ev.HoursAgo(EventType.AppointmentBooked, 50),
        Ev.HoursAgo(EventType.AppointmentAttended, 40),
        Ev.Feature("Phona", 30), Ev.Feature("Webinars", 20), Ev.Feature("Phona", 10),
        Ev.HoursAgo(EventType.ProposalViewed, 5), Ev.HoursAgo(EventType.ProposalViewed, 3),
        Ev.Sms("Running late, flight delayed", 9), Ev.Sms("Great, see you Tuesday", 4), Ev.Sms("Thanks!", 2),
    ];

    [Fact]
    public void Reads_like_a_brief()
    {
        var summary = writer.Write(Input(BusyWeek, reasons: [HandoffReason.BuyingSignals, HandoffReason.CriticalMoment]));

        Assert.Equal(
            "Brandon is a highly engaged SQL in the WIN pipeline phase, with an engagement score of 82 and rising. "
            + "Recently, Brandon booked 2 appointments and attended 1, explored the Phona and Webinars features, viewed the proposal twice and sent 3 SMS messages. "
            + "The tone of recent messages is positive. "
            + "A person should take over now because of strong buying signals and a moment that could decide the deal.",
            summary);
    }

    [Fact]
    public void Names_the_contact_stage_and_phase()
    {
        var profile = TestDomain.Profile(PipelinePhase.Nurture, "Alice Moreno", LifecycleStage.Mql);

        var summary = writer.Write(Input(BusyWeek, TestDomain.Assessment(45, Trend.Falling, -12), profile, HandoffReason.AutomationExhausted));

        Assert.StartsWith("Alice is an engaged MQL in the NURTURE pipeline phase, with an engagement score of 45 and falling.", summary, StringComparison.Ordinal);
        Assert.DoesNotContain("Moreno", summary, StringComparison.Ordinal);
        Assert.Contains("automated outreach that has gone unanswered", summary, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(70, "a highly engaged")]
    [InlineData(69, "an engaged")]
    [InlineData(40, "an engaged")]
    [InlineData(39, "a lightly engaged")]
    public void Engagement_words_follow_the_score(int score, string expected)
    {
        var summary = writer.Write(Input([], TestDomain.Assessment(score), reasons: HandoffReason.CriticalMoment));

        Assert.Contains($"Brandon is {expected} SQL", summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Unnamed_contact_is_this_contact()
    {
        var profile = TestDomain.Profile(name: "  ");

        var summary = writer.Write(Input([Ev.HoursAgo(EventType.FormSubmitted, 2)], profile: profile, reasons: HandoffReason.NeedsHumanJudgement));

        Assert.StartsWith("This contact is a highly engaged SQL", summary, StringComparison.Ordinal);
        Assert.Contains("Recently, this contact submitted 1 form.", summary, StringComparison.Ordinal);
        Assert.Contains("a message that needs human judgement", summary, StringComparison.Ordinal);
    }

    [Fact]
    public void States_no_behaviour_the_events_lack()
    {
        EngagementEvent[] events = [Ev.HoursAgo(EventType.PageViewed, 5), Ev.HoursAgo(EventType.EmailReplied, 2) with { Text = "Tuesday at 3" }];

        var summary = writer.Write(Input(events, TestDomain.Assessment(30, Trend.Steady, 2, Sentiment.Neutral), reasons: HandoffReason.NeedsHumanJudgement));

        Assert.Contains("replied to 1 email", summary, StringComparison.Ordinal);
        Assert.Contains("The tone of recent messages is neutral.", summary, StringComparison.Ordinal);
        foreach (var absent in new[] { "appointment", "meeting", "feature", "proposal", "pricing", "SMS", "call", "Phona", "buying" })
        {
            Assert.DoesNotContain(absent, summary, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void Names_only_features_in_the_events()
    {
        var summary = writer.Write(Input([Ev.Feature("Phona", 3), Ev.Feature("", 2)], reasons: HandoffReason.BuyingSignals));

        Assert.Contains("explored the Phona feature", summary, StringComparison.Ordinal);
        Assert.DoesNotContain("Webinars", summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Unnamed_features_are_not_given_names()
    {
        var summary = writer.Write(Input([Ev.HoursAgo(EventType.FeatureExplored, 3)], reasons: HandoffReason.BuyingSignals));

        Assert.Contains("explored product features", summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Pricing_visits_missed_meetings_and_calls_are_counted()
    {
        EngagementEvent[] events =
        [
            Ev.HoursAgo(EventType.PageViewed, 9) with { PricingPage = true }, Ev.HoursAgo(EventType.PageViewed, 8) with { PricingPage = true },
            Ev.HoursAgo(EventType.PageViewed, 7) with { PricingPage = true }, Ev.HoursAgo(EventType.CallAnswered, 6),
            Ev.HoursAgo(EventType.AppointmentNoShow, 5),
        ];

        var summary = writer.Write(Input(events, reasons: HandoffReason.CriticalMoment));

        Assert.Contains("visited the pricing page 3 times, answered 1 call and missed 1 appointment.", summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_sentiment_is_not_mentioned_and_summary_keeps_two_sentences()
    {
        var summary = writer.Write(Input([Ev.Touch(Channel.Email, 5)], TestDomain.Assessment(10), reasons: HandoffReason.AutomationExhausted));

        Assert.DoesNotContain("tone", summary, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("sentiment", summary, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(2, Sentences(summary));
    }

    [Fact]
    public void Events_after_now_are_not_reported()
    {
        var summary = writer.Write(Input([Ev.HoursAgo(EventType.ProposalViewed, -2)], reasons: HandoffReason.BuyingSignals));

        Assert.DoesNotContain("proposal", summary, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void Has_two_to_four_sentences(int variant)
    {
        var input = variant switch
        {
            0 => Input([], TestDomain.Assessment(5)),
            1 => Input(BusyWeek, reasons: [HandoffReason.BuyingSignals, HandoffReason.AutomationExhausted, HandoffReason.NeedsHumanJudgement, HandoffReason.CriticalMoment]),
            _ => Input(BusyWeek, TestDomain.Assessment(50, Trend.Steady, 0, Sentiment.Negative), reasons: HandoffReason.NeedsHumanJudgement),
        };

        Assert.InRange(Sentences(writer.Write(input)), 2, 4);
    }

    [Fact]
    public async Task WriteAsync_writes_the_same_summary()
    {
        var input = Input(BusyWeek, reasons: HandoffReason.BuyingSignals);

        Assert.Equal(writer.Write(input), await writer.WriteAsync(input, CancellationToken.None));
    }

    [Fact]
    public void Thresholds_are_configurable()
    {
        var strict = new DeterministicSummaryWriter(new SummaryOptions { HighlyEngagedMinScore = 90, EngagedMinScore = 85 });

        Assert.Contains("Brandon is a lightly engaged SQL", strict.Write(Input([], TestDomain.Assessment(82), reasons: HandoffReason.BuyingSignals)), StringComparison.Ordinal);
    }
}
