using System.Globalization;
using Handoff.Domain.Model;
using Handoff.Domain.Text;

namespace Handoff.Domain.Summary;

/// <summary>
/// The default card summary: 2 to 4 sentences written from the card's <see cref="FactSheet"/> alone. Why a person is
/// needed comes first, with the most decisive evidence; then what the contact did, strongest signals first, each with
/// when it last happened relative to the sheet's moment ("yesterday", "3 days ago"); then what SI tried when it went
/// unanswered; then the standing (stage, phase, score and trend, tone). The wording varies between contacts but is a
/// pure function of the facts, so a replay writes the same text. Message text is never quoted (it may hold anything the
/// contact typed), and no pronouns are used: the data has no gender.
/// </summary>
public sealed class DeterministicSummaryWriter : ISummaryWriter
{
    /// <summary>At most this many kinds of behaviour in the behaviour sentence, the most decisive ones.</summary>
    private const int MaxBehaviours = 4;

    /// <summary>Up to this many days back an event reads "3 days ago"; older ones read as a date.</summary>
    private const int RelativeDaysUpTo = 6;

    private static readonly string[] Openings = ["{0} needs a person now", "It is time for a person to take over with {1}", "{0} should hear from a person now"];

    private readonly SummaryOptions options;

    public DeterministicSummaryWriter()
        : this(new SummaryOptions())
    {
    }

    public DeterministicSummaryWriter(SummaryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options;
    }

    public ValueTask<string> WriteAsync(FactSheet facts, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Write(facts));
    }

    /// <summary>The summary of <paramref name="input"/>'s fact sheet.</summary>
    public string Write(SummaryInput input) => Write(FactSheet.From(input));

    public string Write(FactSheet facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var name = facts.FirstName;
        var subject = name.Length > 0 ? name : "This contact";
        var inText = name.Length > 0 ? name : "this contact";
        var variant = (int)(Fnv64.Of(string.Create(CultureInfo.InvariantCulture, $"{facts.Name}|{facts.Score}|{facts.Reasons.Count}")) % (ulong)Openings.Length);

        List<string?> sentences =
        [
            Why(facts, string.Format(CultureInfo.InvariantCulture, Openings[variant], subject, inText), inText),
            Behaviour(facts, subject, inText, variant),
            Outreach(facts),
            Standing(facts, subject),
        ];
        return string.Join(' ', sentences.OfType<string>());
    }

    /// <summary>Why now: the reasons, and the first evidence of the most decisive one, its quote left out.</summary>
    private static string Why(FactSheet facts, string opening, string inText)
    {
        if (facts.Reasons.Count == 0)
        {
            return $"SI sees no reason for a handoff with {inText} right now.";
        }

        var because = Wording.List([.. facts.Reasons.Select(r => ReasonWording.Of(r.Reason).Because)]);
        var lead = facts.Reasons.OrderBy(r => Decisiveness(r.Reason)).First();
        var evidence = lead.Evidence.Select(Unquoted).FirstOrDefault(e => e.Length > 0);
        return evidence is null
            ? $"{opening} because of {because}."
            : $"{opening} because of {because}: {char.ToLowerInvariant(evidence[0])}{evidence[1..]}.";
    }

    /// <summary>A person asking or a deal in the balance outweighs a score; unanswered automation comes last.</summary>
    private static int Decisiveness(HandoffReason reason) => reason switch
    {
        HandoffReason.NeedsHumanJudgement => 1,
        HandoffReason.CriticalMoment => 2,
        HandoffReason.BuyingSignals => 3,
        _ => 4,
    };

    /// <summary>Evidence without the contact's own words: "Asked about price or terms: "…"" reads "Asked about price or terms".</summary>
    private static string Unquoted(string evidence)
    {
        var quote = evidence.IndexOf('"', StringComparison.Ordinal);
        return (quote < 0 ? evidence : evidence[..quote]).TrimEnd(' ', ':', ',', ';').Trim();
    }

    private static string? Behaviour(FactSheet facts, string subject, string inText, int variant)
    {
        var shown = facts.Events
            .Where(e => e.Kind != EventType.Unsubscribed)
            .OrderBy(e => EventWording.Of(e.Kind, e.PricingPage).Rank)
            .Take(MaxBehaviours)
            .Select(e => $"{Did(facts, e)} {When(facts, e.LastAt)}")
            .ToList();
        if (facts.Of(EventType.Unsubscribed) is { } unsubscribed)
        {
            shown.Add($"unsubscribed {When(facts, unsubscribed.LastAt)}");
        }

        if (shown.Count == 0)
        {
            return $"{subject} has done nothing SI records in the recent window.";
        }

        return $"{(variant == 1 ? $"Most recently, {inText}" : subject)} {Wording.List(shown)}.";
    }

    private static string Did(FactSheet facts, FactEvent e) => e.Kind == EventType.FeatureExplored && facts.Features.Count > 0
        ? $"explored {(facts.Features.Count == 1 ? "the feature" : "the features")} {Wording.List(facts.Features)}"
        : EventWording.Of(e.Kind, e.PricingPage).Did(e.Count);

    /// <summary>"today", "yesterday", "3 days ago", "on 12 May": when it last happened, as of the sheet's moment.</summary>
    private static string When(FactSheet facts, DateTimeOffset at)
    {
        var days = facts.DaysAgo(at);
        return days switch
        {
            <= 0 => "today",
            1 => "yesterday",
            <= RelativeDaysUpTo => $"{days} days ago",
            _ => "on " + at.UtcDateTime.ToString("d MMMM", CultureInfo.InvariantCulture),
        };
    }

    /// <summary>What SI tried, when it went unanswered (no reply, SMS or call from the contact in the window).</summary>
    private static string? Outreach(FactSheet facts)
    {
        var answered = facts.CountOf(EventType.EmailReplied) + facts.CountOf(EventType.SmsReceived) + facts.CountOf(EventType.CallAnswered);
        if (facts.Outreach is not { } outreach || answered > 0)
        {
            return null;
        }

        var over = outreach.Channels.Count > 0 ? $" over {Wording.List([.. outreach.Channels.Select(ValueWording.Channel)])}" : string.Empty;
        return $"SI sent {Wording.Count(outreach.Touches, "automated touch", "automated touches")}{over}, the latest {When(facts, outreach.LastAt)}, with no answer.";
    }

    private string Standing(FactSheet facts, string subject)
    {
        var engagement = facts.Score >= options.HighlyEngagedMinScore ? "highly engaged"
            : facts.Score >= options.EngagedMinScore ? "engaged"
            : "lightly engaged";
        var article = "aeiou".Contains(engagement[0], StringComparison.Ordinal) ? "an" : "a";
        var change = Math.Abs(facts.TrendDelta);
        var trend = facts.Trend switch
        {
            Trend.Rising when change > 0 => $"up {Wording.Count(change, "point", "points")}",
            Trend.Falling when change > 0 => $"down {Wording.Count(change, "point", "points")}",
            _ => ValueWording.Trend(facts.Trend).Clause,
        };
        var tone = facts.Sentiment == Sentiment.Unknown ? string.Empty : $", and recent messages read {ValueWording.Sentiment(facts.Sentiment).Word}";
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{subject} is {article} {engagement} {ValueWording.Stage(facts.Stage)} in the {ValueWording.Phase(facts.Phase)} phase with a score of {facts.Score}, {trend}{tone}.");
    }
}
