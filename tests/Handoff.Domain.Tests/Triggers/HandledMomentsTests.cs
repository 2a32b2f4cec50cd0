using Handoff.Domain.Model;
using Handoff.Domain.Tests.Support;
using Handoff.Domain.Triggers;

namespace Handoff.Domain.Tests.Triggers;

/// <summary>What a person already handled when resuming automation does not raise a card again.</summary>
public sealed class HandledMomentsTests
{
    private static readonly DateTimeOffset Now = Ev.Now;

    [Fact]
    public void A_message_from_before_the_resume_no_longer_needs_judgement_but_a_new_one_does()
    {
        var old = Ev.Sms("Can someone call me?", 30);
        var resumedAt = Now.AddHours(-26);

        Assert.Null(Evaluate([old], resumedAt).For(HandoffReason.NeedsHumanJudgement));
        Assert.NotNull(Evaluate([old, Ev.Sms("Is there a discount?", 1)], resumedAt).For(HandoffReason.NeedsHumanJudgement));
    }

    [Fact]
    public void Proposal_views_and_bookings_from_before_the_resume_are_not_a_critical_moment()
    {
        EngagementEvent[] events =
        [
            Ev.HoursAgo(EventType.ProposalViewed, 20),
            Ev.HoursAgo(EventType.ProposalViewed, 10),
            Ev.Meeting(bookedHoursAgo: 9, inHours: 20),
        ];

        Assert.NotNull(Evaluate(events, handledAt: null).For(HandoffReason.CriticalMoment));
        Assert.Null(Evaluate(events, Now.AddHours(-5)).For(HandoffReason.CriticalMoment));
    }

    [Fact]
    public void Touches_count_only_after_the_resume()
    {
        EngagementEvent[] touches =
        [
            Ev.Touch(Channel.Email, 50), Ev.Touch(Channel.Sms, 40), Ev.Touch(Channel.Email, 30),
            Ev.Touch(Channel.Sms, 20), Ev.Touch(Channel.Email, 10),
        ];

        Assert.NotNull(Evaluate(touches, handledAt: null).For(HandoffReason.AutomationExhausted));
        Assert.Null(Evaluate(touches, Now.AddHours(-35)).For(HandoffReason.AutomationExhausted));
    }

    private static IReadOnlyList<ReasonFinding> Evaluate(IReadOnlyList<EngagementEvent> events, DateTimeOffset? handledAt) =>
        TestDomain.Evaluator().Evaluate(TestDomain.Profile(PipelinePhase.Win), events, TestDomain.Assessment(score: 0), Now, handledAt);
}
