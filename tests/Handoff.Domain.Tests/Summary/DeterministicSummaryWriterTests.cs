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
    public void Reads_like_a_brief_why_first_then_behaviour_with_when_then_standing()
    {
        var summary = writer.Write(Input(BusyWeek, reasons: [HandoffReason.BuyingSignals, HandoffReason.CriticalMoment]));

        Assert.Equal(
            "Brandon should hear from a person now because of strong buying signals and a moment that could decide the deal: criticalMoment. "
            + "Brandon booked 2 appointments 2 days ago, viewed the proposal twice today, attended 1 appointment 2 days ago and explored the features Phona and Webinars today. "
            + "Brandon is a highly engaged SQL in the WIN phase with a score of 82, up 24 points, and recent messages read positive.",
            summary);
    }

    [Fact]
    public void Counts_read_in_the_singular_and_plural()
    {
        var one = writer.Write(Input([Ev.HoursAgo(EventType.EmailReplied, 2), Ev.HoursAgo(EventType.FormSubmitted, 3)], reasons: HandoffReason.NeedsHumanJudgement));
        var two = writer.Write(Input([Ev.HoursAgo(EventType.EmailReplied, 2), Ev.HoursAgo(EventType.EmailReplied, 3)], reasons: HandoffReason.NeedsHumanJudgement));

        Assert.Contains("replied to 1 email today", one, StringComparison.Ordinal);
        Assert.Contains("submitted 1 form today", one, StringComparison.Ordinal);
        Assert.Contains("replied to 2 emails today", two, StringComparison.Ordinal);
        Assert.DoesNotContain("1 emails", one, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2, "today")]
    [InlineData(14, "yesterday")]
    [InlineData(3 * 24, "3 days ago")]
    [InlineData(6 * 24, "6 days ago")]
    [InlineData(10 * 24, "on 23 May")]
    public void Dates_read_relative_to_the_sheets_moment(double hoursAgo, string expected)
    {
        var summary = writer.Write(Input([Ev.HoursAgo(EventType.ProposalViewed, hoursAgo)], reasons: HandoffReason.CriticalMoment));

        Assert.Contains($"viewed the proposal once {expected}", summary, StringComparison.Ordinal);
    }

    [Fact]
    public void The_most_decisive_evidence_comes_first_without_the_contacts_words()
    {
        var findings = new[]
        {
            new ReasonFinding(HandoffReason.AutomationExhausted, ["6 automated touches over email and SMS, none answered; the contact has never responded"]),
            new ReasonFinding(HandoffReason.NeedsHumanJudgement, ["Asked about price or terms: \"my card number is 4111 and we pay $900\""]),
        };
        var input = new SummaryInput(TestDomain.Profile(), TestDomain.Assessment(40), findings, [Ev.Sms("my card number is 4111", 3)], Now);

        var summary = writer.Write(input);

        Assert.Contains("because of automated outreach that has gone unanswered and a message that needs human judgement: asked about price or terms.", summary, StringComparison.Ordinal);
        Assert.DoesNotContain("4111", summary, StringComparison.Ordinal);
        Assert.DoesNotContain("$900", summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Unanswered_automation_says_what_SI_tried_and_when()
    {
        EngagementEvent[] touches = [Ev.Touch(Channel.Email, 50), Ev.Touch(Channel.Sms, 30), Ev.Touch(Channel.Email, 26)];

        var summary = writer.Write(Input(touches, TestDomain.Assessment(20, Trend.Falling, -8, Sentiment.Unknown), reasons: HandoffReason.AutomationExhausted));

        Assert.Contains("SI sent 3 automated touches over email and SMS, the latest yesterday, with no answer.", summary, StringComparison.Ordinal);
        Assert.Contains("Brandon has done nothing SI records in the recent window.", summary, StringComparison.Ordinal);
        Assert.Contains("lightly engaged SQL in the WIN phase with a score of 20, down 8 points.", summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Wording_varies_between_contacts_but_not_between_runs()
    {
        var openings = new[] { "Alice Moreno", "Brandon Lee", "Chen Wu", "Dana Ito", "Eve Stone", "Farid Haddad" }
            .Select(name => writer.Write(Input(BusyWeek, profile: TestDomain.Profile(name: name), reasons: HandoffReason.BuyingSignals)))
            .Select(summary => summary[(summary.IndexOf(' ', StringComparison.Ordinal) + 1)..summary.IndexOf(" because", StringComparison.Ordinal)])
            .ToHashSet();
        var input = Input(BusyWeek, reasons: HandoffReason.BuyingSignals);

        Assert.True(openings.Count >= 2, string.Join(" | ", openings));
        Assert.Equal(writer.Write(input), writer.Write(input));
    }

    [Fact]
    public void Names_the_contact_stage_and_phase()
    {
        var profile = TestDomain.Profile(PipelinePhase.Nurture, "Alice Moreno", LifecycleStage.Mql);

        var summary = writer.Write(Input(BusyWeek, TestDomain.Assessment(45, Trend.Falling, -12), profile, HandoffReason.AutomationExhausted));

        Assert.Contains("Alice is an engaged MQL in the NURTURE phase with a score of 45, down 12 points", summary, StringComparison.Ordinal);
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

        Assert.Contains("This contact is a highly engaged SQL", summary, StringComparison.Ordinal);
        Assert.Contains("submitted 1 form today.", summary, StringComparison.Ordinal);
        Assert.Contains("a message that needs human judgement", summary, StringComparison.Ordinal);
    }

    [Fact]
    public void States_no_behaviour_the_events_lack()
    {
        EngagementEvent[] events = [Ev.HoursAgo(EventType.PageViewed, 5), Ev.HoursAgo(EventType.EmailReplied, 2) with { Text = "Tuesday at 3" }];

        var summary = writer.Write(Input(events, TestDomain.Assessment(30, Trend.Steady, 2, Sentiment.Neutral), reasons: HandoffReason.NeedsHumanJudgement));

        Assert.Contains("replied to 1 email", summary, StringComparison.Ordinal);
        Assert.Contains("recent messages read neutral.", summary, StringComparison.Ordinal);
        foreach (var absent in new[] { "appointment", "meeting", "feature", "proposal", "pricing", "SMS", "call", "Phona", "buying", "Tuesday" })
        {
            Assert.DoesNotContain(absent, summary, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void Names_only_features_in_the_events()
    {
        var summary = writer.Write(Input([Ev.Feature("Phona", 3), Ev.Feature("", 2)], reasons: HandoffReason.BuyingSignals));

        Assert.Contains("explored the feature Phona today", summary, StringComparison.Ordinal);
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

        Assert.Contains("visited the pricing page 3 times today, answered 1 call today and missed 1 appointment today.", summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_sentiment_is_not_mentioned()
    {
        var summary = writer.Write(Input([Ev.Touch(Channel.Email, 5)], TestDomain.Assessment(10, Trend.Steady, 0, Sentiment.Unknown), reasons: HandoffReason.AutomationExhausted));

        Assert.DoesNotContain("messages read", summary, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("sentiment", summary, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(4, Sentences(summary));
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

        Assert.Equal(writer.Write(input), await writer.WriteAsync(FactSheet.From(input), CancellationToken.None));
    }

    [Fact]
    public void Thresholds_are_configurable()
    {
        var strict = new DeterministicSummaryWriter(new SummaryOptions { HighlyEngagedMinScore = 90, EngagedMinScore = 85 });

        Assert.Contains("Brandon is a lightly engaged SQL", strict.Write(Input([], TestDomain.Assessment(82), reasons: HandoffReason.BuyingSignals)), StringComparison.Ordinal);
    }
}
