using Handoff.Domain.Model;
using Handoff.Domain.Scoring;
using Handoff.Domain.Tests.Support;

namespace Handoff.Domain.Tests.Scoring;

public sealed class EngagementScorerTests
{
    private static readonly DateTimeOffset Now = Ev.Now;

    [Fact]
    public void Weight_halves_with_every_half_life()
    {
        var options = new ScoringOptions { HalfLife = TimeSpan.FromDays(7), Weights = new() { [EventType.FormSubmitted] = 40 } };
        var scorer = TestDomain.Scorer(options);
        var events = new[] { Ev.At(EventType.FormSubmitted, Now) };

        Assert.Equal(40, scorer.ScoreAt(events, Now));
        Assert.Equal(20, scorer.ScoreAt(events, Now.AddDays(7)));
        Assert.Equal(10, scorer.ScoreAt(events, Now.AddDays(14)));
    }

    [Fact]
    public void Score_is_clamped_to_100()
    {
        var events = Enumerable.Range(0, 10).Select(_ => Ev.At(EventType.AppointmentBooked, Now)).ToList();

        Assert.Equal(100, TestDomain.Scorer().ScoreAt(events, Now));
    }

    [Fact]
    public void Score_is_clamped_to_0()
    {
        var events = new[] { Ev.At(EventType.AppointmentNoShow, Now), Ev.At(EventType.AppointmentCancelled, Now) };

        Assert.Equal(0, TestDomain.Scorer().ScoreAt(events, Now));
    }

    [Fact]
    public void Events_after_the_moment_do_not_count()
    {
        var options = TestDomain.FlatScoring(EventType.FormSubmitted, 30);
        var events = new[] { Ev.At(EventType.FormSubmitted, Now), Ev.At(EventType.FormSubmitted, Now.AddMinutes(1)) };

        Assert.Equal(30, TestDomain.Scorer(options).ScoreAt(events, Now));
    }

    [Fact]
    public void Out_of_order_events_score_the_same()
    {
        var events = new List<EngagementEvent>
        {
            Ev.DaysAgo(EventType.EmailOpened, 9),
            Ev.DaysAgo(EventType.ProposalViewed, 0.5),
            Ev.Sms("Thanks, looking forward to it", 30),
            Ev.DaysAgo(EventType.AppointmentBooked, 2),
            Ev.DaysAgo(EventType.PageViewed, 4) with { PricingPage = true },
            Ev.DaysAgo(EventType.AppointmentNoShow, 6),
        };
        var scorer = TestDomain.Scorer();
        var shuffled = new[] { events[3], events[0], events[5], events[1], events[4], events[2] };

        Assert.Equal(scorer.Assess(events, Now), scorer.Assess(shuffled, Now));
        Assert.Equal(scorer.Assess(events, Now), scorer.Assess(Enumerable.Reverse(events).ToList(), Now));
    }

    [Fact]
    public void Pricing_page_view_adds_its_bonus()
    {
        var options = new ScoringOptions { HalfLife = TimeSpan.FromDays(36500), PricingPageBonus = 6, Weights = new() { [EventType.PageViewed] = 2 } };
        var scorer = TestDomain.Scorer(options);

        Assert.Equal(2, scorer.ScoreAt([Ev.At(EventType.PageViewed, Now)], Now));
        Assert.Equal(8, scorer.ScoreAt([Ev.At(EventType.PageViewed, Now) with { PricingPage = true }], Now));
    }

    [Theory]
    [InlineData("Great, thanks!", 14)]
    [InlineData("Tuesday at 3", 10)]
    [InlineData("This is terrible", 6)]
    public void Inbound_message_sentiment_adds_or_removes_its_weight(string text, int expected)
    {
        var options = new ScoringOptions { HalfLife = TimeSpan.FromDays(36500), SentimentWeight = 4, Weights = new() { [EventType.SmsReceived] = 10 } };

        Assert.Equal(expected, TestDomain.Scorer(options).ScoreAt([Ev.Sms(text, 0)], Now));
    }

    [Fact]
    public void Unlisted_event_types_score_nothing()
    {
        Assert.Equal(0, TestDomain.Scorer().ScoreAt([Ev.At(EventType.OwnerChanged, Now), Ev.Touch(Channel.Email, 0)], Now));
    }

    [Theory]
    [InlineData(10, Trend.Rising)]
    [InlineData(9, Trend.Steady)]
    public void Recent_gain_at_the_threshold_is_rising(int weight, Trend expected)
    {
        var scorer = TestDomain.Scorer(TestDomain.FlatScoring(EventType.FormSubmitted, weight));

        var assessment = scorer.Assess([Ev.HoursAgo(EventType.FormSubmitted, 1)], Now);

        Assert.Equal(weight, assessment.Score);
        Assert.Equal(weight, assessment.TrendDelta);
        Assert.Equal(expected, assessment.Trend);
    }

    [Fact]
    public void Decaying_score_without_new_events_is_falling()
    {
        var options = new ScoringOptions { HalfLife = TimeSpan.FromDays(7), TrendWindow = TimeSpan.FromDays(3), Weights = new() { [EventType.FormSubmitted] = 60 } };

        var assessment = TestDomain.Scorer(options).Assess([Ev.DaysAgo(EventType.FormSubmitted, 3)], Now);

        Assert.Equal(45, assessment.Score);
        Assert.Equal(-15, assessment.TrendDelta);
        Assert.Equal(Trend.Falling, assessment.Trend);
    }

    [Fact]
    public void Old_activity_is_steady()
    {
        var assessment = TestDomain.Scorer().Assess([Ev.DaysAgo(EventType.EmailReplied, 20)], Now);

        Assert.Equal(Trend.Steady, assessment.Trend);
    }

    [Fact]
    public void Assessment_carries_the_overall_sentiment()
    {
        var assessment = TestDomain.Scorer().Assess([Ev.Sms("Love it, thank you", 2)], Now);

        Assert.Equal(Sentiment.Positive, assessment.Sentiment);
    }

    [Fact]
    public void Non_positive_half_life_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TestDomain.Scorer(new ScoringOptions { HalfLife = TimeSpan.Zero }));
    }
}
