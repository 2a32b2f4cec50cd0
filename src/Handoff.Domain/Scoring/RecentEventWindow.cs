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
    public static IReadOnlyList<EngagementEvent> Trim(IEnumerable<EngagementEvent> events, DateTimeOffset now, ScoringOptions options)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(options);
        var kept = events
            .Where(e => e.OccurredAt >= now - options.RecentEventWindow)
            .OrderBy(e => e.OccurredAt)
            .ThenBy(e => e.EventId, StringComparer.Ordinal)
            .ToList();
        return kept.Count > options.MaxRecentEvents ? kept[^options.MaxRecentEvents..] : kept;
    }
}
