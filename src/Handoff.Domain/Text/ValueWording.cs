using Handoff.Domain.Model;

namespace Handoff.Domain.Text;

/// <summary>How a trend reads: alone ("rising"), and closing the summary's standing sentence ("... and holding steady").</summary>
public sealed record TrendWords(string Word, string Clause);

/// <summary>How a sentiment reads: alone ("negative"), and among the facts a language model is given.</summary>
public sealed record SentimentWords(string Word, string Fact);

/// <summary>
/// How the contact's stage, phase, channel, trend and sentiment read in evidence, summaries and the audit trail: one
/// table each, so every text names a value the same way.
/// </summary>
public static class ValueWording
{
    /// <summary>Acronym stages stay upper case ("SQL"); word stages read as words ("lead").</summary>
    public static WordingTable<LifecycleStage, string> Stages { get; } = new("lifecycle stage", new Dictionary<LifecycleStage, string>
    {
        [LifecycleStage.Lead] = "lead",
        [LifecycleStage.Mql] = "MQL",
        [LifecycleStage.Sql] = "SQL",
        [LifecycleStage.Opportunity] = "opportunity",
        [LifecycleStage.Customer] = "customer",
    });

    /// <summary>Phases read as the product shows them: upper case, "WIN".</summary>
    public static WordingTable<PipelinePhase, string> Phases { get; } = new("pipeline phase", new Dictionary<PipelinePhase, string>
    {
        [PipelinePhase.Discover] = "DISCOVER",
        [PipelinePhase.Engage] = "ENGAGE",
        [PipelinePhase.Nurture] = "NURTURE",
        [PipelinePhase.Win] = "WIN",
        [PipelinePhase.Closed] = "CLOSED",
    });

    public static WordingTable<Channel, string> Channels { get; } = new("channel", new Dictionary<Channel, string>
    {
        [Model.Channel.Email] = "email",
        [Model.Channel.Sms] = "SMS",
        [Model.Channel.Call] = "phone",
        [Model.Channel.Web] = "web",
        [Model.Channel.Meeting] = "meeting",
    });

    public static WordingTable<Trend, TrendWords> Trends { get; } = new("trend", new Dictionary<Trend, TrendWords>
    {
        [Model.Trend.Rising] = new("rising", "rising"),
        [Model.Trend.Steady] = new("steady", "holding steady"),
        [Model.Trend.Falling] = new("falling", "falling"),
    });

    public static WordingTable<Sentiment, SentimentWords> Sentiments { get; } = new("sentiment", new Dictionary<Sentiment, SentimentWords>
    {
        [Model.Sentiment.Unknown] = new("unknown", "unknown (no recent messages)"),
        [Model.Sentiment.Positive] = new("positive", "positive"),
        [Model.Sentiment.Neutral] = new("neutral", "neutral"),
        [Model.Sentiment.Negative] = new("negative", "negative"),
    });

    public static string Stage(LifecycleStage stage) => Stages[stage];

    public static string Phase(PipelinePhase phase) => Phases[phase];

    public static string Channel(Channel channel) => Channels[channel];

    public static TrendWords Trend(Trend trend) => Trends[trend];

    public static SentimentWords Sentiment(Sentiment sentiment) => Sentiments[sentiment];
}
