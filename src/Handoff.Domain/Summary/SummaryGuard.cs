using System.Globalization;
using System.Text.RegularExpressions;
using Handoff.Domain.Model;
using Handoff.Domain.Text;

namespace Handoff.Domain.Summary;

/// <summary>Whether a summary may go on a card, and if not, every reason why.</summary>
public sealed record GuardVerdict(IReadOnlyList<string> Problems)
{
    public bool Passed => Problems.Count == 0;
}

/// <summary>
/// Checks any writer's summary against the card's <see cref="FactSheet"/> before it is shown: every number, date,
/// weekday, month, price, capitalised name and event kind in the text must be in the sheet; no promise, discount or
/// commitment the sheet does not hold; the contact named (its first name, or "this contact" when it has none); 2 to 4
/// sentences; no longer than <see cref="SummaryOptions.MaxSummaryLength"/>. It errs strict: a true summary it cannot
/// tie to the sheet is refused (the deterministic one stays), an untrue one is never let through.
/// </summary>
public sealed partial class SummaryGuard(SummaryOptions options)
{
    public const int MinSentences = 2;
    public const int MaxSentences = 4;

    /// <summary>Words a sentence may start with that are not names (a name capitalised anywhere else must be in the sheet).</summary>
    private static readonly HashSet<string> CommonCapitals = new(StringComparer.Ordinal)
    {
        "A", "An", "The", "This", "That", "These", "Those", "It", "Its", "They", "Their", "There", "Here", "He", "She", "His", "Her",
        "In", "On", "At", "Over", "After", "Before", "Since", "During", "With", "Without", "Within", "From", "For", "By", "As", "And", "But",
        "Both", "Now", "Recently", "Most", "Lately", "Overall", "Given", "Because", "While", "Although", "So", "Still", "Also", "Today",
        "Yesterday", "Engagement", "Reach", "Please", "Take", "Call", "Contact", "Consider", "Follow", "Automated", "Automation",
        "Score", "SI", "Human", "Handoff", "Someone", "Nobody", "No", "Not", "One", "Two", "Three", "Four", "Five", "Several",
        "All", "Each", "Every", "Sentiment", "Tone", "Messages", "Recent", "Last", "Latest", "Meanwhile", "However", "Then", "Next",
    };

    private static readonly string[] Months = CultureInfo.InvariantCulture.DateTimeFormat.MonthNames.Where(m => m.Length > 0).ToArray();

    private static readonly Dictionary<string, int> NumberWords = new(StringComparer.OrdinalIgnoreCase)
    {
        ["two"] = 2, ["three"] = 3, ["four"] = 4, ["five"] = 5, ["six"] = 6, ["seven"] = 7, ["eight"] = 8, ["nine"] = 9, ["ten"] = 10,
        ["eleven"] = 11, ["twelve"] = 12, ["twice"] = 2, ["dozen"] = 12, ["hundred"] = 100, ["thousand"] = 1000,
    };

    /// <summary>Words that name a kind of event, and the kinds whose presence in the sheet allows them.</summary>
    private static readonly (string Stem, EventType[] Kinds)[] EventMentions =
    [
        ("appointment", [EventType.AppointmentBooked, EventType.AppointmentAttended, EventType.AppointmentNoShow, EventType.AppointmentCancelled]),
        ("meeting", [EventType.AppointmentBooked, EventType.AppointmentAttended, EventType.AppointmentNoShow, EventType.AppointmentCancelled]),
        ("booked", [EventType.AppointmentBooked]),
        ("attended", [EventType.AppointmentAttended]),
        ("missed", [EventType.AppointmentNoShow]),
        ("no-show", [EventType.AppointmentNoShow]),
        ("cancel", [EventType.AppointmentCancelled]),
        ("proposal", [EventType.ProposalViewed]),
        ("pricing", [EventType.PageViewed]),
        ("form", [EventType.FormSubmitted]),
        ("feature", [EventType.FeatureExplored]),
        ("explored", [EventType.FeatureExplored]),
        ("replied", [EventType.EmailReplied]),
        ("repl", [EventType.EmailReplied, EventType.SmsReceived]),
        ("sms", [EventType.SmsReceived]),
        ("text message", [EventType.SmsReceived]),
        ("call", [EventType.CallAnswered]),
        ("phone", [EventType.CallAnswered]),
        ("clicked", [EventType.EmailClicked]),
        ("opened", [EventType.EmailOpened]),
        ("unsubscrib", [EventType.Unsubscribed]),
        ("webinar", []), ("demo", []), ("trial", []), ("contract", []), ("invoice", []), ("quote", []), ("purchase", []),
        ("order", []), ("signed", []), ("renewal", []), ("download", []), ("visit", [EventType.PageViewed]),
    ];

    /// <summary>What only a person may offer or promise: never in a summary unless the sheet's evidence says it.</summary>
    private static readonly string[] Commitments =
    [
        "discount", "% off", "percent off", "free", "guarantee", "promise", "refund", "waive", "complimentary", "special offer",
        "price match", "we will", "we'll", "i will", "i'll", "commit", "deal of", "coupon", "rebate", "for nothing", "no charge",
    ];

    private readonly SummaryOptions options = options ?? throw new ArgumentNullException(nameof(options));

    public GuardVerdict Check(string text, FactSheet facts)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(facts);
        var problems = new List<string>();
        var sheet = SheetText(facts);
        var sheetLower = sheet.ToLowerInvariant();
        var lower = text.ToLowerInvariant();

        var sentences = SentenceCounter.Count(text);
        if (sentences is < MinSentences or > MaxSentences)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{sentences} sentences, not {MinSentences} to {MaxSentences}"));
        }

        if (text.Length > options.MaxSummaryLength)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{text.Length} characters, more than {options.MaxSummaryLength}"));
        }

        var named = facts.FirstName.Length > 0
            ? Regex.IsMatch(text, $@"\b{Regex.Escape(facts.FirstName)}\b", RegexOptions.CultureInvariant)
            : lower.Contains("this contact", StringComparison.Ordinal);
        if (!named)
        {
            problems.Add(facts.FirstName.Length > 0 ? $"does not name {facts.FirstName}" : "does not say \"this contact\"");
        }

        CheckNumbers(text, facts, sheet, problems);
        CheckDates(text, lower, facts, sheetLower, problems);
        CheckNames(text, sheet, problems);
        CheckEventKinds(lower, facts, sheetLower, problems);
        problems.AddRange(Commitments.Where(c => Mentions(lower, c) && !Mentions(sheetLower, c)).Select(c => $"offers or promises \"{c}\""));
        return new GuardVerdict(problems);
    }

    /// <summary>Everything the sheet says in words: its JSON (values, evidence, dates, weekdays) and the writers' nouns.</summary>
    private static string SheetText(FactSheet facts) =>
        string.Join(' ', [FactSheetJson.Of(facts), .. facts.Reasons.Select(r => ReasonWording.Of(r.Reason).Because)]);

    private static void CheckNumbers(string text, FactSheet facts, string sheet, List<string> problems)
    {
        var allowed = new HashSet<decimal>();
        // A date's month must not pass for a count: dates give only their year and day below.
        foreach (Match m in NumberPattern().Matches(IsoDatePattern().Replace(sheet, " ")))
        {
            allowed.Add(ParseNumber(m.Groups["n"].Value));
        }

        foreach (var at in facts.Dates())
        {
            allowed.Add(facts.DaysAgo(at));
            allowed.Add(at.UtcDateTime.Day);
            allowed.Add(at.UtcDateTime.Year);
        }

        allowed.Add(Math.Abs(facts.TrendDelta));
        var prices = PricePattern().Matches(sheet).Select(m => ParseNumber(m.Groups["n"].Value)).ToHashSet();
        foreach (Match m in NumberPattern().Matches(text))
        {
            var n = ParseNumber(m.Groups["n"].Value);
            if (!allowed.Contains(n))
            {
                problems.Add($"the number {m.Value.Trim()} is not in the facts");
            }
        }

        foreach (Match m in PricePattern().Matches(text))
        {
            if (!prices.Contains(ParseNumber(m.Groups["n"].Value)))
            {
                problems.Add($"the price {m.Value.Trim()} is not in the facts");
            }
        }

        foreach (Match m in WordPattern().Matches(text))
        {
            if (NumberWords.TryGetValue(m.Value, out var n) && !allowed.Contains(n) && !Mentions(sheet.ToLowerInvariant(), m.Value.ToLowerInvariant()))
            {
                problems.Add($"the number \"{m.Value}\" is not in the facts");
            }
        }
    }

    private static void CheckDates(string text, string lower, FactSheet facts, string sheetLower, List<string> problems)
    {
        var days = facts.Dates().Select(facts.DaysAgo).ToHashSet();
        foreach (var (word, daysAgo) in new[] { ("today", 0), ("yesterday", 1) })
        {
            if (Mentions(lower, word) && !days.Contains(daysAgo) && !Mentions(sheetLower, word))
            {
                problems.Add($"\"{word}\" matches no date in the facts");
            }
        }

        foreach (var word in new[] { "tomorrow", "tonight", "next week", "last week", "last month", "next month" })
        {
            if (Mentions(lower, word) && !Mentions(sheetLower, word))
            {
                problems.Add($"\"{word}\" is not in the facts");
            }
        }

        var dates = facts.Dates().Select(d => d.UtcDateTime).ToList();
        foreach (var day in Enum.GetValues<DayOfWeek>())
        {
            var name = day.ToString().ToLowerInvariant();
            if (Mentions(lower, name) && dates.All(d => d.DayOfWeek != day) && !Mentions(sheetLower, name))
            {
                problems.Add($"the weekday {day} is not in the facts");
            }
        }

        foreach (var month in Months)
        {
            // Case matters: "may" is a verb, "May" a month.
            if (Regex.IsMatch(text, $@"\b{month}\b", RegexOptions.CultureInvariant) && dates.All(d => d.Month != Array.IndexOf(Months, month) + 1))
            {
                problems.Add($"the month {month} is not in the facts");
            }
        }
    }

    /// <summary>A capitalised word is a name unless it starts a sentence as a common word; a name must be in the sheet.</summary>
    private static void CheckNames(string text, string sheet, List<string> problems)
    {
        var known = WordPattern().Matches(sheet).Select(m => m.Value).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (Match m in WordPattern().Matches(text))
        {
            // "Brandon's" is Brandon; "Follow-up" starts with Follow.
            var word = m.Value.Split('-')[0];
            word = word.EndsWith("'s", StringComparison.Ordinal) || word.EndsWith("\u2019s", StringComparison.Ordinal) ? word[..^2] : word;
            if (word.Length == 0 || !char.IsUpper(word[0]) || known.Contains(word) || CommonCapitals.Contains(word) || Months.Contains(word)
                || Enum.TryParse<DayOfWeek>(word, out _))
            {
                continue;
            }

            problems.Add($"the name \"{word}\" is not in the facts");
        }
    }

    private static void CheckEventKinds(string lower, FactSheet facts, string sheetLower, List<string> problems)
    {
        var channels = facts.Outreach?.Channels ?? [];
        foreach (var (stem, kinds) in EventMentions)
        {
            if (!StemPattern(stem).IsMatch(lower) || StemPattern(stem).IsMatch(sheetLower))
            {
                continue;
            }

            var viaOutreach = (stem is "call" or "phone" && channels.Contains(Channel.Call)) || (stem == "sms" && channels.Contains(Channel.Sms));
            if (!viaOutreach && !kinds.Any(k => facts.CountOf(k) > 0 && (stem != "pricing" || facts.Of(EventType.PageViewed, pricingPage: true) is not null)))
            {
                problems.Add($"mentions \"{stem}\", which the facts do not");
            }
        }
    }

    private static bool Mentions(string lower, string phrase) =>
        Regex.IsMatch(lower, $@"(?<![\p{{L}}\p{{N}}]){Regex.Escape(phrase)}(?![\p{{L}}\p{{N}}])", RegexOptions.CultureInvariant);

    private static Regex StemPattern(string stem) => new($@"(?<![\p{{L}}]){Regex.Escape(stem)}", RegexOptions.CultureInvariant);

    private static decimal ParseNumber(string value) =>
        decimal.Parse(value.Replace(",", string.Empty, StringComparison.Ordinal), NumberStyles.Number, CultureInfo.InvariantCulture);

    /// <summary>A number, with thousands separators and decimals, not inside a word ("v2", "B2B" are names, checked as such).</summary>
    [GeneratedRegex(@"(?<![\p{L}\d.,])(?<n>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?![\p{L}\d])")]
    private static partial Regex NumberPattern();

    /// <summary>An amount of money: a currency sign before it, or a currency word or "%" after it.</summary>
    [GeneratedRegex(@"(?:[$€£¥]\s?(?<n>\d[\d,]*(?:\.\d+)?)|(?<n>\d[\d,]*(?:\.\d+)?)\s?(?:%|percent|dollars|euros|pounds|usd|eur|gbp)\b)", RegexOptions.IgnoreCase)]
    private static partial Regex PricePattern();

    [GeneratedRegex(@"\d{4}-\d{2}-\d{2}")]
    private static partial Regex IsoDatePattern();

    [GeneratedRegex(@"[\p{L}][\p{L}\p{N}'’-]*")]
    private static partial Regex WordPattern();
}
