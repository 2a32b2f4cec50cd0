using System.ComponentModel.DataAnnotations;

namespace Handoff.Domain.Scoring;

/// <summary>
/// The lexicon and window of the deterministic sentiment reader. Bound from configuration section
/// "Handoff:Sentiment". Matching is by whole words and is case-insensitive. Items bound from
/// configuration are added to the default lists (that is how the configuration binder fills lists).
/// The lists are read once, when the <see cref="SentimentAnalyzer"/> is created.
/// </summary>
public sealed class SentimentOptions
{
    /// <summary>Words and phrases that read positive.</summary>
    public List<string> PositiveTerms { get; set; } =
    [
        "great", "thanks", "thank you", "love", "loved", "excited", "perfect", "looking forward", "sounds good",
        "happy", "interested", "awesome", "excellent", "glad", "appreciate", "amazing", "can't wait", "impressed",
        "wonderful", "helpful", "fantastic", "good", "works for me",
    ];

    /// <summary>Words and phrases that read negative.</summary>
    public List<string> NegativeTerms { get; set; } =
    [
        "disappointed", "disappointing", "frustrated", "frustrating", "angry", "terrible", "awful", "annoyed",
        "annoying", "unhappy", "waste", "complaint", "bad", "worst", "unacceptable", "poor", "useless", "upset",
        "ridiculous", "spam", "stop", "cancel", "horrible", "problem", "broken", "confusing",
    ];

    /// <summary>Words that flip the next term: "not happy" reads negative, "no problem" positive.</summary>
    public List<string> NegationWords { get; set; } =
    [
        "not", "no", "never", "don't", "dont", "doesn't", "doesnt", "didn't", "didnt", "isn't", "isnt",
        "wasn't", "wasnt", "aren't", "won't", "can't", "cannot", "hardly", "nothing",
    ];

    /// <summary>A negation word flips a term when it is at most this many words before it ("not very happy").</summary>
    [Range(0, 10)]
    public int NegationScope { get; set; } = 2;

    /// <summary>Overall sentiment reads inbound messages no older than this.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromDays(14);
}
