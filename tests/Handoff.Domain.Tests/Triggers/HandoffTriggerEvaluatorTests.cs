using Handoff.Domain.Model;
using Handoff.Domain.Tests.Support;

namespace Handoff.Domain.Tests.Triggers;

public sealed class HandoffTriggerEvaluatorTests
{
    private static readonly DateTimeOffset Now = Ev.Now;

    [Fact]
    public void No_reason_fires_without_events()
    {
        var findings = TestDomain.Evaluator().Evaluate(TestDomain.Profile(), [], TestDomain.Assessment(95, Trend.Rising, 40), Now);

        Assert.Empty(findings);
    }

    [Fact]
    public void Events_after_now_are_ignored()
    {
        EngagementEvent[] events = [Ev.Sms("Can someone call me?", -1), Ev.HoursAgo(EventType.ProposalViewed, -1), Ev.HoursAgo(EventType.ProposalViewed, -2)];

        Assert.Empty(TestDomain.Evaluator().Evaluate(TestDomain.Profile(), events, TestDomain.Assessment(), Now));
    }

    [Fact]
    public void Several_reasons_come_in_enum_order()
    {
        EngagementEvent[] events =
        [
            Ev.Touch(Channel.Email, 100), Ev.Touch(Channel.Sms, 90), Ev.Touch(Channel.Email, 80),
            Ev.Touch(Channel.Sms, 70), Ev.Touch(Channel.Email, 60),
            Ev.HoursAgo(EventType.ProposalViewed, 3), Ev.HoursAgo(EventType.ProposalViewed, 2),
            Ev.HoursAgo(EventType.EmailOpened, 1),
        ];

        var findings = TestDomain.Evaluator().Evaluate(TestDomain.Profile(), events, TestDomain.Assessment(80, Trend.Rising, 30), Now);

        Assert.Equal([HandoffReason.BuyingSignals, HandoffReason.AutomationExhausted, HandoffReason.CriticalMoment], findings.Select(f => f.Reason));
    }

    [Fact]
    public void Quiet_contact_continues_automation()
    {
        EngagementEvent[] events = [Ev.DaysAgo(EventType.EmailOpened, 3), Ev.Sms("Thanks, will read it", 20), Ev.Touch(Channel.Email, 10)];
        var assessment = TestDomain.Scorer().Assess(events, Now);

        Assert.Empty(TestDomain.Evaluator().Evaluate(TestDomain.Profile(), events, assessment, Now));
    }
}
