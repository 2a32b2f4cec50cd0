using Handoff.Domain.Model;

namespace Handoff.Domain.Scoring;

/// <summary>
/// The bounded slice of history a contact keeps: enough for scoring, triggers and the summary, small
/// enough that grain state does not grow forever.
/// </summary>
public static class RecentEventWindow
{
    /// <summary>
    /// Events no older than <see cref="ScoringOptions.RecentEventWindow"/> before <paramref name="now"/>,
    /// at most <see cref="ScoringOptions.MaxRecentEvents"/> of the newest, sorted by time (ties by event id,
    /// so the result does not depend on arrival order).
    /// </summary>
    public static IReadOnlyList<EngagementEvent> Trim(IEnumerable<EngagementEvent> events, DateTimeOffset now, ScoringOptions options) =>
        Trim(events, e => e, now, options);

    /// <summary>
    /// The same rule over items that each carry an event (<paramref name="eventOf"/>), so that a caller keeping the
    /// events together with something else (their stored form) trims both at once.
    /// </summary>
    public static List<T> Trim<T>(IEnumerable<T> items, Func<T, EngagementEvent> eventOf, DateTimeOffset now, ScoringOptions options)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(eventOf);
        ArgumentNullException.ThrowIfNull(options);
        var oldest = now - options.RecentEventWindow;
        var kept = items
            .Where(i => eventOf(i).OccurredAt >= oldest)
            .OrderBy(i => eventOf(i).OccurredAt)
            .ThenBy(i => eventOf(i).EventId, StringComparer.Ordinal)
            .ToList();
        if (kept.Count > options.MaxRecentEvents)
        {
            kept.RemoveRange(0, kept.Count - options.MaxRecentEvents);
        }

        return kept;
    }
}
