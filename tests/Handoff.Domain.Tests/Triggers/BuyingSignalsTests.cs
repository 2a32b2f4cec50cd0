using Handoff.Domain.Model;
using Handoff.Domain.Tests.Support;

namespace Handoff.Domain.Tests.Triggers;

public sealed class BuyingSignalsTests
{
    private static readonly DateTimeOffset Now = Ev.Now;
    private static readonly EngagementEvent[] SomeActivity = [Ev.DaysAgo(EventType.EmailOpened, 10)];

    [Fact]
    public void Fires_for_high_rising_score_in_win_with_evidence()
    {
        var findings = TestDomain.Evaluator().Evaluate(
            TestDomain.Profile(PipelinePhase.Win), SomeActivity, TestDomain.Assessment(82, Trend.Rising, 24), Now);

        var finding = findings.For(HandoffReason.BuyingSignals);
        Assert.NotNull(finding);
        Assert.Equal(["Score 82 and rising (+24 in 3 days) in the WIN phase"], finding.Evidence);
    }

    [Fact]
    public void Fires_from_real_activity()
    {
        var events = new[]
        {
            Ev.HoursAgo(EventType.AppointmentBooked, 30), Ev.HoursAgo(EventType.AppointmentAttended, 20),
            Ev.HoursAgo(EventType.ProposalViewed, 10), Ev.HoursAgo(EventType.CallAnswered, 8),
            Ev.Sms("Thanks, looking forward to it", 6), Ev.HoursAgo(EventType.FormSubmitted, 5),
            Ev.HoursAgo(EventType.PageViewed, 4) with { PricingPage = true },
        };
        var assessment = TestDomain.Scorer().Assess(events, Now);

        var findings = TestDomain.Evaluator().Evaluate(TestDomain.Profile(), events, assessment, Now);

        Assert.True(assessment.Score >= 70, $"score {assessment.Score}");
        Assert.NotNull(findings.For(HandoffReason.BuyingSignals));
    }

    [Theory]
    [InlineData(70, true)]
    [InlineData(69, false)]
    public void Fires_from_a_score_of_70(int score, bool fires)
    {
        var findings = TestDomain.Evaluator().Evaluate(TestDomain.Profile(), SomeActivity, TestDomain.Assessment(score, Trend.Rising, 24), Now);

        Assert.Equal(fires, findings.For(HandoffReason.BuyingSignals) is not null);
    }

    [Theory]
    [InlineData(Trend.Steady, PipelinePhase.Win)]
    [InlineData(Trend.Falling, PipelinePhase.Win)]
    [InlineData(Trend.Rising, PipelinePhase.Nurture)]
    public void Needs_rising_trend_and_win_phase(Trend trend, PipelinePhase phase)
    {
        var findings = TestDomain.Evaluator().Evaluate(TestDomain.Profile(phase), SomeActivity, TestDomain.Assessment(90, trend, 5), Now);

        Assert.Null(findings.For(HandoffReason.BuyingSignals));
    }

    [Fact]
    public void Threshold_is_configurable()
    {
        var evaluator = TestDomain.Evaluator(new() { BuyingSignalsMinScore = 60 });

        var findings = evaluator.Evaluate(TestDomain.Profile(), SomeActivity, TestDomain.Assessment(65, Trend.Rising, 15), Now);

        Assert.NotNull(findings.For(HandoffReason.BuyingSignals));
    }
}
