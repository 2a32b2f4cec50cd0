using System.Runtime.CompilerServices;
using Handoff.Domain.Model;
using Handoff.Domain.Text;

namespace Handoff.Domain.Scoring;

/// <summary>
/// Reads the tone of the contact's own words with a fixed lexicon, so the same message always gets the
/// same answer (replays and tests are stable, and a salesperson can see why a message read negative).
/// </summary>
public sealed class SentimentAnalyzer
{
    private readonly string[][] positive;
    private readonly string[][] negative;
    private readonly HashSet<string> negations;
    private readonly int negationScope;
    private readonly TimeSpan window;
    private readonly ConditionalWeakTable<string, StrongBox<Sentiment>> classified = new();

    /// <summary>One shared answer per sentiment, never changed, so that remembering an answer allocates nothing.</summary>
    private static readonly Dictionary<Sentiment, StrongBox<Sentiment>> Answers = Enum.GetValues<Sentiment>().ToDictionary(v => v, v => new StrongBox<Sentiment>(v));

    public SentimentAnalyzer(SentimentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        positive = TextTokens.Phrases(options.PositiveTerms);
        negative = TextTokens.Phrases(options.NegativeTerms);
        negations = new HashSet<string>(options.NegationWords.SelectMany(TextTokens.Split), StringComparer.Ordinal);
        negationScope = options.NegationScope;
        window = options.Window;
    }

    /// <summary>How far back <see cref="Overall"/> reads messages.</summary>
    internal TimeSpan Window => window;

    /// <summary>
    /// Counts positive and negative terms (a term just after a negation word counts for the other side).
    /// More positive than negative is <see cref="Sentiment.Positive"/>; a negative term that is not
    /// outweighed is <see cref="Sentiment.Negative"/> (a tie goes negative: a missed complaint costs more
    /// than a second look); no terms is <see cref="Sentiment.Neutral"/>.
    /// </summary>
    public Sentiment Classify(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        // A message stays in the contact's recent-event window for many evaluations, each reading it again: the answer
        // is kept with the string itself, and goes when the string does.
        if (classified.TryGetValue(text, out var known))
        {
            return known.Value;
        }

        var answer = Read(text);
        classified.AddOrUpdate(text, Answers[answer]);
        return answer;
    }

    private Sentiment Read(string text)
    {
        var words = TextTokens.Split(text);
        int positives = 0, negatives = 0;
        var i = 0;
        while (i < words.Length)
        {
            var (length, isPositive) = MatchAt(words, i);
            if (length == 0)
            {
                i++;
                continue;
            }

            if (isPositive != IsNegated(words, i))
            {
                positives++;
            }
            else
            {
                negatives++;
            }

            i += length;
        }

        return positives > negatives ? Sentiment.Positive
            : negatives > 0 ? Sentiment.Negative
            : Sentiment.Neutral;
    }

    /// <summary>
    /// Sentiment of the inbound messages in the window ending at <paramref name="now"/>; <see cref="Sentiment.Unknown"/>
    /// when there are none. The latest message decides when it has a tone, because that is where the
    /// conversation stands (a contact who was happy and now complains has turned negative). When the
    /// latest message is neutral ("ok, Tuesday works"), the earlier messages in the window decide by
    /// majority of positive over negative, and a balance is neutral.
    /// </summary>
    public Sentiment Overall(IReadOnlyList<EngagementEvent> events, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(events);
        var messages = events
            .Where(e => e.IsInboundMessage && e.OccurredAt <= now && e.OccurredAt >= now - window)
            .OrderBy(e => e.OccurredAt)
            .ThenBy(e => e.EventId, StringComparer.Ordinal)
            .Select(e => Classify(e.Text!))
            .ToList();
        if (messages.Count == 0)
        {
            return Sentiment.Unknown;
        }

        if (messages[^1] != Sentiment.Neutral)
        {
            return messages[^1];
        }

        var balance = messages.Count(s => s == Sentiment.Positive) - messages.Count(s => s == Sentiment.Negative);
        return balance > 0 ? Sentiment.Positive : balance < 0 ? Sentiment.Negative : Sentiment.Neutral;
    }

    /// <summary>The longer of the first positive and the first negative phrase that starts at <paramref name="start"/>; a tie goes positive.</summary>
    private (int Length, bool IsPositive) MatchAt(string[] words, int start)
    {
        var positiveLength = FirstMatchLength(positive, words, start);
        var negativeLength = FirstMatchLength(negative, words, start);
        return negativeLength > positiveLength ? (negativeLength, false) : (positiveLength, true);
    }

    private static int FirstMatchLength(string[][] phrases, string[] words, int start)
    {
        foreach (var phrase in phrases)
        {
            if (TextTokens.MatchesAt(words, start, phrase))
            {
                return phrase.Length;
            }
        }

        return 0;
    }

    private bool IsNegated(string[] words, int start)
    {
        for (var i = Math.Max(0, start - negationScope); i < start; i++)
        {
            if (negations.Contains(words[i]))
            {
                return true;
            }
        }

        return false;
    }
}
