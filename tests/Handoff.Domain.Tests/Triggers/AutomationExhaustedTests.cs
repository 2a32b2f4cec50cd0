using Handoff.Domain.Model;
using Handoff.Domain.Tests.Support;
using Handoff.Domain.Triggers;

namespace Handoff.Domain.Tests.Triggers;

public sealed class AutomationExhaustedTests
{
    private static readonly DateTimeOffset Now = Ev.Now;

    private static IReadOnlyList<ReasonFinding> Evaluate(params EngagementEvent[] events) =>
        TestDomain.Evaluator().Evaluate(TestDomain.Profile(), events, TestDomain.Assessment(), Now);

    private static EngagementEvent[] Touches(int count, params Channel[] channels) =>
        [.. Enumerable.Range(0, count).Select(i => Ev.Touch(channels[i % channels.Length], 24 * (count - i)))];

    [Fact]
    public void Fires_after_unanswered_touches_over_two_channels_since_the_last_reply()
    {
        EngagementEvent[] events = [Ev.DaysAgo(EventType.EmailReplied, 9), .. Touches(6, Channel.Email, Channel.Sms)];

        var finding = Evaluate(events).For(HandoffReason.AutomationExhausted);

        Assert.NotNull(finding);
        Assert.Equal(["6 automated touches over email and SMS since the contact last responded 9 days ago, none answered"], finding.Evidence);
    }

    [Fact]
    public void Fires_when_the_contact_never_responded()
    {
        var finding = Evaluate(Touches(5, Channel.Email, Channel.Sms, Channel.Call)).For(HandoffReason.AutomationExhausted);

        Assert.NotNull(finding);
        Assert.Equal(["5 automated touches over email, SMS and phone, none answered; the contact has never responded"], finding.Evidence);
    }

    [Fact]
    public void Does_not_fire_with_one_touch_too_few()
    {
        Assert.Null(Evaluate(Touches(4, Channel.Email, Channel.Sms)).For(HandoffReason.AutomationExhausted));
    }

    [Fact]
    public void Does_not_fire_on_a_single_channel()
    {
        Assert.Null(Evaluate(Touches(8, Channel.Email)).For(HandoffReason.AutomationExhausted));
    }

    [Fact]
    public void A_reply_resets_the_count()
    {
        EngagementEvent[] events = [.. Touches(6, Channel.Email, Channel.Sms), Ev.HoursAgo(EventType.CallAnswered, 30)];

        Assert.Null(Evaluate(events).For(HandoffReason.AutomationExhausted));
    }

    [Fact]
    public void Thresholds_are_configurable()
    {
        var evaluator = TestDomain.Evaluator(new() { AutomationExhaustedMinTouches = 3, AutomationExhaustedMinChannels = 1 });

        var findings = evaluator.Evaluate(TestDomain.Profile(), Touches(3, Channel.Email), TestDomain.Assessment(), Now);

        Assert.NotNull(findings.For(HandoffReason.AutomationExhausted));
    }
}
