using Handoff.Domain.Model;

namespace Handoff.Domain.Summary;

/// <summary>How many times the contact did one kind of thing in the recent-event window, and when it last did.</summary>
/// <param name="PricingPage">For <see cref="EventType.PageViewed"/>: whether these are the views of the pricing page.</param>
public sealed record FactEvent(EventType Kind, int Count, DateTimeOffset LastAt, bool PricingPage = false);

/// <summary>A reason on the card and the evidence found for it, as the card shows it.</summary>
public sealed record FactReason(HandoffReason Reason, IReadOnlyList<string> Evidence);

/// <summary>What SI tried: its automated touches in the window, over which channels, and the latest one.</summary>
public sealed record FactOutreach(int Touches, IReadOnlyList<Channel> Channels, DateTimeOffset LastAt);

/// <summary>
/// The facts a card's summary may use, and nothing else: who the contact is, where it stands, what it did and when,
/// what SI tried, and why a person is needed. Both summary writers write from it, the grounding guard checks a summary
/// against it, and the card keeps it, so a client can show where each sentence comes from. Plain values: the same input
/// gives the same sheet, and <see cref="FactSheetJson"/> the same text and hash.
/// </summary>
public sealed record FactSheet
{
    /// <summary>The contact's display name, trimmed; empty when it has none (the summary then says "this contact").</summary>
    public required string Name { get; init; }

    public required LifecycleStage Stage { get; init; }

    public required PipelinePhase Phase { get; init; }

    public required int Score { get; init; }

    public required Trend Trend { get; init; }

    /// <summary>The score change over the trend window that decided <see cref="Trend"/>.</summary>
    public required int TrendDelta { get; init; }

    public required Sentiment Sentiment { get; init; }

    /// <summary>What the contact did, one entry per kind, the most recent kind first.</summary>
    public required IReadOnlyList<FactEvent> Events { get; init; }

    /// <summary>The product features the contact explored, as the events name them.</summary>
    public required IReadOnlyList<string> Features { get; init; }

    /// <summary>SI's automated touches in the window; null when there were none.</summary>
    public FactOutreach? Outreach { get; init; }

    public required IReadOnlyList<FactReason> Reasons { get; init; }

    /// <summary>The moment the facts describe: relative dates ("yesterday") are counted from it.</summary>
    public required DateTimeOffset AsOf { get; init; }

    /// <summary>The first word of the name; empty when the contact has none.</summary>
    public string FirstName => Name.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [var first, ..] ? first : string.Empty;

    /// <summary>
    /// The facts of <paramref name="input"/>: events dated after its "now" are left out (a clock ahead of ours cannot
    /// tell the summary what has not happened yet), and so are profile changes, which the stage and phase already say.
    /// </summary>
    public static FactSheet From(SummaryInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var events = input.RecentEvents.Where(e => e.OccurredAt <= input.Now).ToList();
        var touches = events.Where(e => e.Type == EventType.SiTouchSent).ToList();
        var kinds = events
            .Where(e => e.Type is not (EventType.SiTouchSent or EventType.StageChanged or EventType.PhaseChanged or EventType.OwnerChanged))
            .GroupBy(e => (e.Type, Pricing: e.Type == EventType.PageViewed && e.PricingPage))
            .Select(g => new FactEvent(g.Key.Type, g.Count(), g.Max(e => e.OccurredAt), g.Key.Pricing))
            .OrderByDescending(f => f.LastAt)
            .ThenBy(f => f.Kind)
            .ToList();
        var features = events
            .Where(e => e.Type == EventType.FeatureExplored)
            .Select(e => e.Feature?.Trim())
            .OfType<string>()
            .Where(f => f.Length > 0)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();

        return new FactSheet
        {
            Name = string.Join(' ', input.Profile.DisplayName.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)),
            Stage = input.Profile.Stage,
            Phase = input.Profile.Phase,
            Score = input.Assessment.Score,
            Trend = input.Assessment.Trend,
            TrendDelta = input.Assessment.TrendDelta,
            Sentiment = input.Assessment.Sentiment,
            Events = kinds,
            Features = features,
            Outreach = touches.Count == 0
                ? null
                : new FactOutreach(touches.Count, [.. touches.Select(t => t.Channel).OfType<Channel>().Distinct().Order()], touches.Max(t => t.OccurredAt)),
            Reasons = [.. input.Reasons.GroupBy(r => r.Reason).OrderBy(g => g.Key).Select(g => new FactReason(g.Key, [.. g.SelectMany(r => r.Evidence).Distinct()]))],
            AsOf = input.Now,
        };
    }

    /// <summary>The entry of one kind of event; null when the contact did not do it in the window.</summary>
    public FactEvent? Of(EventType kind, bool pricingPage = false) =>
        Events.FirstOrDefault(e => e.Kind == kind && e.PricingPage == pricingPage);

    public int CountOf(EventType kind) => Events.Where(e => e.Kind == kind).Sum(e => e.Count);

    /// <summary>Whole calendar days (UTC) from <paramref name="at"/> to <see cref="AsOf"/>: 0 today, 1 yesterday.</summary>
    public int DaysAgo(DateTimeOffset at) => (AsOf.UtcDateTime.Date - at.UtcDateTime.Date).Days;

    /// <summary>Every moment the sheet names: the events', SI's last touch, and its own.</summary>
    public IEnumerable<DateTimeOffset> Dates()
    {
        yield return AsOf;
        foreach (var e in Events)
        {
            yield return e.LastAt;
        }

        if (Outreach is { } outreach)
        {
            yield return outreach.LastAt;
        }
    }
}
