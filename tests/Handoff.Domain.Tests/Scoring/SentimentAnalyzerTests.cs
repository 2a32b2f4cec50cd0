using Handoff.Domain.Model;
using Handoff.Domain.Scoring;
using Handoff.Domain.Tests.Support;

namespace Handoff.Domain.Tests.Scoring;

public sealed class SentimentAnalyzerTests
{
    private static readonly DateTimeOffset Now = Ev.Now;
    private readonly SentimentAnalyzer analyzer = TestDomain.Sentiment();

    [Theory]
    [InlineData("Thanks, this looks great!", Sentiment.Positive)]
    [InlineData("LOVE the webinar feature", Sentiment.Positive)]
    [InlineData("Can we move it to Tuesday at 3?", Sentiment.Neutral)]
    [InlineData("", Sentiment.Neutral)]
    [InlineData("Honestly this is frustrating and the setup is broken", Sentiment.Negative)]
    [InlineData("I'm not happy with the onboarding", Sentiment.Negative)]
    [InlineData("I am not very happy", Sentiment.Negative)]
    [InlineData("No problem at all", Sentiment.Positive)]
    [InlineData("Thanks, but the invoice is wrong and I am upset", Sentiment.Negative)]
    [InlineData("Can\u2019t wait to start", Sentiment.Positive)]
    public void Classifies_by_lexicon_with_negation(string text, Sentiment expected)
    {
        Assert.Equal(expected, analyzer.Classify(text));
    }

    [Fact]
    public void Lexicon_matches_whole_words_only()
    {
        Assert.Equal(Sentiment.Neutral, analyzer.Classify("Please send the badge to Bob"));
    }

    [Fact]
    public void Lexicon_is_configurable()
    {
        var custom = new SentimentAnalyzer(new SentimentOptions { PositiveTerms = ["stoked"], NegativeTerms = ["meh"] });

        Assert.Equal(Sentiment.Positive, custom.Classify("Stoked about it"));
        Assert.Equal(Sentiment.Negative, custom.Classify("meh"));
        Assert.Equal(Sentiment.Neutral, custom.Classify("great"));
    }

    [Fact]
    public void Overall_is_unknown_without_inbound_messages_in_the_window()
    {
        var events = new[]
        {
            Ev.Sms("Love it", 15 * 24),
            Ev.HoursAgo(EventType.SmsReceived, 1),
            Ev.HoursAgo(EventType.SiTouchSent, 1, Channel.Email) with { Text = "Great news, a terrible offer" },
        };

        Assert.Equal(Sentiment.Unknown, analyzer.Overall(events, Now));
        Assert.Equal(Sentiment.Unknown, analyzer.Overall([], Now));
    }

    [Fact]
    public void Latest_negative_message_turns_overall_negative()
    {
        var events = new[] { Ev.Sms("Great demo, thanks", 50), Ev.Sms("Love it", 40), Ev.Sms("This is unacceptable", 2) };

        Assert.Equal(Sentiment.Negative, analyzer.Overall(events, Now));
    }

    [Fact]
    public void Latest_positive_message_wins_over_an_earlier_complaint()
    {
        var events = new[] { Ev.Sms("Really frustrated with the wait", 50), Ev.Sms("Sorted now, thank you!", 2) };

        Assert.Equal(Sentiment.Positive, analyzer.Overall(events, Now));
    }

    [Fact]
    public void Neutral_latest_message_defers_to_the_earlier_ones()
    {
        Assert.Equal(Sentiment.Positive, analyzer.Overall([Ev.Sms("Great call", 50), Ev.Sms("Tuesday at 3", 2)], Now));
        Assert.Equal(Sentiment.Negative, analyzer.Overall([Ev.Sms("Terrible call", 50), Ev.Sms("Tuesday at 3", 2)], Now));
        Assert.Equal(Sentiment.Neutral, analyzer.Overall([Ev.Sms("Tuesday at 3", 2)], Now));
    }

    [Fact]
    public void Messages_after_now_are_ignored()
    {
        var events = new[] { Ev.Sms("Great call", 5), Ev.Sms("Terrible", -1) };

        Assert.Equal(Sentiment.Positive, analyzer.Overall(events, Now));
    }
}
