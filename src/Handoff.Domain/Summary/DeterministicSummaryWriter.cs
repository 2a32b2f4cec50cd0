using System.Globalization;
using Handoff.Domain.Model;
using Handoff.Domain.Text;

namespace Handoff.Domain.Summary;

/// <summary>
/// The default card summary: 2 to 4 sentences built only from the contact's own data (standing, recent
/// behaviour, tone, why a person is needed). Every clause is backed by a count, a name or a value in the
/// input; a behaviour with no events is left out rather than guessed. No pronouns: the data has no gender.
/// </summary>
public sealed class DeterministicSummaryWriter : ISummaryWriter
{
    private const string UnnamedContact = "This contact";

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

    public ValueTask<string> WriteAsync(SummaryInput input, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Write(input));
    }

    public string Write(SummaryInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var name = FirstName(input.Profile.DisplayName);
        var sentences = new List<string> { Standing(name, input) };

        var behaviour = Behaviour(input.RecentEvents.Where(e => e.OccurredAt <= input.Now).ToList());
        if (behaviour.Count > 0)
        {
            var subject = name == UnnamedContact ? UnnamedContact.ToLowerInvariant() : name;
            sentences.Add($"Recently, {subject} {Wording.List(behaviour)}.");
        }

        if (input.Assessment.Sentiment != Sentiment.Unknown)
        {
            sentences.Add($"The tone of recent messages is {ValueWording.Sentiment(input.Assessment.Sentiment).Word}.");
        }

        sentences.Add(Why(input.Reasons.Select(r => r.Reason).Distinct().Order().ToList()));
        return string.Join(' ', sentences);
    }

    private static string FirstName(string displayName)
    {
        var parts = displayName.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return parts.Length > 0 ? parts[0] : UnnamedContact;
    }

    private string Standing(string name, SummaryInput input)
    {
        var score = input.Assessment.Score;
        var engagement = score >= options.HighlyEngagedMinScore ? "highly engaged"
            : score >= options.EngagedMinScore ? "engaged"
            : "lightly engaged";
        var article = "aeiou".Contains(engagement[0], StringComparison.Ordinal) ? "an" : "a";
        var trend = ValueWording.Trend(input.Assessment.Trend).Clause;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{name} is {article} {engagement} {ValueWording.Stage(input.Profile.Stage)} in the {ValueWording.Phase(input.Profile.Phase)} pipeline phase, with an engagement score of {score} and {trend}.");
    }

    /// <summary>The contact's own actions, strongest signals first; each clause only when its events exist.</summary>
    private static List<string> Behaviour(List<EngagementEvent> events)
    {
        int CountOf(EventType type) => events.Count(e => e.Type == type);
        var clauses = new List<string>();

        int booked = CountOf(EventType.AppointmentBooked), attended = CountOf(EventType.AppointmentAttended);
        if (booked > 0)
        {
            clauses.Add($"booked {Wording.Count(booked, "appointment", "appointments")}" + (attended > 0 ? $" and attended {attended}" : string.Empty));
        }
        else if (attended > 0)
        {
            clauses.Add($"attended {Wording.Count(attended, "appointment", "appointments")}");
        }

        var explored = events.Where(e => e.Type == EventType.FeatureExplored).ToList();
        var features = explored.Select(e => e.Feature?.Trim()).OfType<string>().Where(f => f.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (features.Count > 0)
        {
            clauses.Add($"explored the {Wording.List(features)} {(features.Count == 1 ? "feature" : "features")}");
        }
        else if (explored.Count > 0)
        {
            clauses.Add("explored product features");
        }

        AddTimes(clauses, CountOf(EventType.ProposalViewed), "viewed the proposal");
        AddTimes(clauses, events.Count(e => e.Type == EventType.PageViewed && e.PricingPage), "visited the pricing page");
        AddCount(clauses, CountOf(EventType.FormSubmitted), "submitted", "form", "forms");
        AddCount(clauses, CountOf(EventType.EmailReplied), "replied to", "email", "emails");
        AddCount(clauses, CountOf(EventType.SmsReceived), "sent", "SMS message", "SMS messages");
        AddCount(clauses, CountOf(EventType.CallAnswered), "answered", "call", "calls");
        AddCount(clauses, CountOf(EventType.EmailClicked), "clicked through", "email", "emails");
        AddCount(clauses, CountOf(EventType.AppointmentNoShow), "missed", "appointment", "appointments");
        AddCount(clauses, CountOf(EventType.AppointmentCancelled), "cancelled", "appointment", "appointments");
        return clauses;
    }

    private static void AddTimes(List<string> clauses, int n, string action)
    {
        if (n > 0)
        {
            clauses.Add($"{action} {Wording.Times(n)}");
        }
    }

    private static void AddCount(List<string> clauses, int n, string verb, string singular, string plural)
    {
        if (n > 0)
        {
            clauses.Add($"{verb} {Wording.Count(n, singular, plural)}");
        }
    }

    private static string Why(List<HandoffReason> reasons)
    {
        if (reasons.Count == 0)
        {
            return "SI has no reason for a handoff right now.";
        }

        var because = reasons.Select(r => ReasonWording.Of(r).Because).ToList();
        return $"A person should take over now because of {Wording.List(because)}.";
    }
}
