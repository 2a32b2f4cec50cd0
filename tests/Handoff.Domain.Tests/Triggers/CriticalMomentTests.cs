using Handoff.Domain.Model;
using Handoff.Domain.Tests.Support;
using Handoff.Domain.Triggers;

namespace Handoff.Domain.Tests.Triggers;

public sealed class CriticalMomentTests
{
    private static readonly DateTimeOffset Now = Ev.Now;

    private static ReasonFinding? Critical(PipelinePhase phase, params EngagementEvent[] events) =>
        TestDomain.Evaluator().Evaluate(TestDomain.Profile(phase), events, TestDomain.Assessment(score: 0), Now).For(HandoffReason.CriticalMoment);

    [Fact]
    public void Fires_for_repeated_proposal_views()
    {
        var finding = Critical(PipelinePhase.Nurture, Ev.HoursAgo(EventType.ProposalViewed, 40), Ev.HoursAgo(EventType.ProposalViewed, 2), Ev.HoursAgo(EventType.ProposalViewed, 1));

        Assert.NotNull(finding);
        Assert.Equal(["Viewed the proposal 3 times in the last 48 hours"], finding.Evidence);
    }

    [Fact]
    public void Does_not_fire_for_a_single_proposal_view_in_the_window()
    {
        Assert.Null(Critical(PipelinePhase.Win, Ev.HoursAgo(EventType.ProposalViewed, 49), Ev.HoursAgo(EventType.ProposalViewed, 1)));
    }

    [Fact]
    public void Fires_for_a_meeting_in_the_next_48_hours_while_in_win()
    {
        var finding = Critical(PipelinePhase.Win, Ev.Meeting(bookedHoursAgo: 5, inHours: 47));

        Assert.NotNull(finding);
        Assert.Equal(["Meeting booked for 47 hours from now, in the WIN phase"], finding.Evidence);
    }

    [Fact]
    public void Does_not_fire_for_a_meeting_49_hours_away()
    {
        Assert.Null(Critical(PipelinePhase.Win, Ev.Meeting(bookedHoursAgo: 5, inHours: 49)));
    }

    [Fact]
    public void Does_not_fire_for_a_meeting_outside_win()
    {
        Assert.Null(Critical(PipelinePhase.Engage, Ev.Meeting(bookedHoursAgo: 5, inHours: 10)));
    }

    [Fact]
    public void Does_not_fire_for_a_meeting_already_past()
    {
        Assert.Null(Critical(PipelinePhase.Win, Ev.Meeting(bookedHoursAgo: 5, inHours: -1)));
    }

    [Fact]
    public void Does_not_fire_for_a_cancelled_meeting()
    {
        var booking = Ev.Meeting(bookedHoursAgo: 5, inHours: 10);
        var cancellation = Ev.HoursAgo(EventType.AppointmentCancelled, 2) with { AppointmentTime = booking.AppointmentTime };

        Assert.Null(Critical(PipelinePhase.Win, booking, cancellation));
    }

    [Fact]
    public void A_cancellation_of_another_meeting_keeps_this_one()
    {
        var booking = Ev.Meeting(bookedHoursAgo: 5, inHours: 10);
        var otherCancelled = Ev.HoursAgo(EventType.AppointmentCancelled, 2) with { AppointmentTime = Now.AddDays(9) };

        Assert.NotNull(Critical(PipelinePhase.Win, booking, otherCancelled));
    }

    [Fact]
    public void A_meeting_booked_again_after_a_cancellation_counts()
    {
        var cancellation = Ev.HoursAgo(EventType.AppointmentCancelled, 10);
        var rebooking = Ev.Meeting(bookedHoursAgo: 5, inHours: 10);

        Assert.NotNull(Critical(PipelinePhase.Win, cancellation, rebooking));
    }

    [Theory]
    [InlineData(20, true)]
    [InlineData(19, false)]
    public void Fires_for_a_score_jump_of_20_in_24_hours(int gain, bool fires)
    {
        var scoring = TestDomain.FlatScoring(EventType.FormSubmitted, gain);
        var events = new[] { Ev.At(EventType.FormSubmitted, Now) };
        var assessment = TestDomain.Scorer(scoring).Assess(events, Now);

        var finding = TestDomain.Evaluator(scoring: scoring).Evaluate(TestDomain.Profile(), events, assessment, Now).For(HandoffReason.CriticalMoment);

        Assert.Equal(fires, finding is not null);
        if (fires)
        {
            Assert.Equal(["Score jumped 20 points in the last 24 hours (from 0 to 20)"], finding!.Evidence);
        }
    }

    [Fact]
    public void Windows_are_configurable()
    {
        var evaluator = TestDomain.Evaluator(new() { ProposalViewsForCriticalMoment = 3, MeetingHorizon = TimeSpan.FromHours(72) });
        EngagementEvent[] events = [Ev.HoursAgo(EventType.ProposalViewed, 2), Ev.HoursAgo(EventType.ProposalViewed, 1), Ev.Meeting(1, 70)];

        var finding = evaluator.Evaluate(TestDomain.Profile(), events, TestDomain.Assessment(score: 0), Now).For(HandoffReason.CriticalMoment);

        Assert.NotNull(finding);
        Assert.Equal(["Meeting booked for 3 days from now, in the WIN phase"], finding.Evidence);
    }
}
