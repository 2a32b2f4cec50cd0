using Handoff.Domain.Model;
using Handoff.Domain.Tests.Support;
using Handoff.Domain.Triggers;

namespace Handoff.Domain.Tests.Triggers;

public sealed class NeedsHumanJudgementTests
{
    private static readonly DateTimeOffset Now = Ev.Now;

    private static ReasonFinding? Judgement(params EngagementEvent[] events) =>
        TestDomain.Evaluator().Evaluate(TestDomain.Profile(), events, TestDomain.Assessment(), Now).For(HandoffReason.NeedsHumanJudgement);

    [Theory]
    [InlineData("Can someone call me? I'd like to go over the numbers.", "Asked to speak with a person")]
    [InlineData("Is there a discount for an annual plan?", "Asked about price or terms")]
    [InlineData("Who on your side signs the contract?", "Raised a legal or contract question")]
    [InlineData("I was charged twice. I want a refund.", "Complained")]
    [InlineData("The setup was confusing and the docs are useless.", "Latest message reads negative")]
    public void Fires_and_quotes_the_message(string text, string label)
    {
        var finding = Judgement(Ev.Sms(text, 3));

        Assert.NotNull(finding);
        Assert.Equal([$"{label}: \"{text}\""], finding.Evidence);
    }

    [Fact]
    public void Quotes_each_kind_of_request_once_without_repeating_the_tone()
    {
        var finding = Judgement(Ev.Sms("Can we talk to someone about the contract?", 30), Ev.Sms("Honestly this is unacceptable.", 2));

        Assert.NotNull(finding);
        Assert.Equal(
            [
                "Asked to speak with a person: \"Can we talk to someone about the contract?\"",
                "Raised a legal or contract question: \"Can we talk to someone about the contract?\"",
                "Complained: \"Honestly this is unacceptable.\"",
            ],
            finding.Evidence);
    }

    [Fact]
    public void Does_not_fire_for_a_plain_positive_or_neutral_message()
    {
        Assert.Null(Judgement(Ev.Sms("Thanks, Tuesday at 3 works.", 3), Ev.Sms("Great, see you then", 1)));
    }

    [Fact]
    public void Does_not_fire_for_requests_older_than_the_lookback()
    {
        Assert.Null(Judgement(Ev.Sms("Can someone call me?", 8 * 24)));
    }

    [Fact]
    public void Only_the_latest_message_tone_counts()
    {
        Assert.Null(Judgement(Ev.Sms("This is confusing", 20), Ev.Sms("Figured it out, thanks!", 2)));
    }

    [Fact]
    public void Does_not_match_inside_words()
    {
        Assert.Null(Judgement(Ev.Sms("I recall me saying Tuesday", 2)));
    }

    [Fact]
    public void Long_messages_are_truncated_in_the_quote()
    {
        var text = "Can someone call me " + string.Join(' ', Enumerable.Repeat("about the rollout plan", 10));

        var evidence = Assert.Single(Judgement(Ev.Sms(text, 2))!.Evidence);

        Assert.StartsWith("Asked to speak with a person: \"Can someone call me about", evidence, StringComparison.Ordinal);
        Assert.EndsWith("\u2026\"", evidence, StringComparison.Ordinal);
        Assert.True(evidence.Length <= "Asked to speak with a person: ".Length + 120 + 3, evidence);
    }

    [Fact]
    public void Phrases_are_configurable()
    {
        var evaluator = TestDomain.Evaluator(new() { AsksForPersonPhrases = ["ring me"] });

        var findings = evaluator.Evaluate(TestDomain.Profile(), [Ev.Sms("Ring me later", 2)], TestDomain.Assessment(), Now);

        Assert.NotNull(findings.For(HandoffReason.NeedsHumanJudgement));
    }
}
