using Handoff.Domain.Model;
using Handoff.Domain.Text;

namespace Handoff.Domain.Tests.Text;

/// <summary>
/// Every value of every worded enum has its words: a value added to an enum without an entry in its table fails here
/// (the tables throw instead of falling back to a default).
/// </summary>
public sealed class WordingTableTests
{
    [Fact]
    public void Every_handoff_reason_has_its_label_its_summary_clause_and_its_fact() =>
        AssertEveryValue<HandoffReason>(r => [ReasonWording.Of(r).Label, ReasonWording.Of(r).Because, ReasonWording.Of(r).Fact]);

    [Fact]
    public void Every_stage_phase_and_channel_has_a_word()
    {
        AssertEveryValue<LifecycleStage>(s => [ValueWording.Stage(s)]);
        AssertEveryValue<PipelinePhase>(p => [ValueWording.Phase(p)]);
        AssertEveryValue<Channel>(c => [ValueWording.Channel(c)]);
    }

    [Fact]
    public void Every_trend_and_sentiment_has_its_words()
    {
        AssertEveryValue<Trend>(t => [ValueWording.Trend(t).Word, ValueWording.Trend(t).Clause]);
        AssertEveryValue<Sentiment>(s => [ValueWording.Sentiment(s).Word, ValueWording.Sentiment(s).Fact]);
    }

    [Fact]
    public void A_value_outside_the_enum_throws_naming_the_vocabulary_instead_of_reading_as_a_default()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ReasonWording.Of((HandoffReason)99));
        Assert.Contains("handoff reason", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => ValueWording.Channel((Channel)99));
    }

    [Fact]
    public void The_reasons_read_as_before_in_the_audit_trail()
    {
        Assert.Equal(
            ["buying signals", "automation exhausted", "needs human judgement", "critical moment"],
            Enum.GetValues<HandoffReason>().Select(r => ReasonWording.Of(r).Label));
    }

    private static void AssertEveryValue<TEnum>(Func<TEnum, string[]> words) where TEnum : struct, Enum
    {
        foreach (var value in Enum.GetValues<TEnum>())
        {
            Assert.All(words(value), w => Assert.False(string.IsNullOrWhiteSpace(w), $"{typeof(TEnum).Name}.{value} has an empty wording."));
        }
    }
}
