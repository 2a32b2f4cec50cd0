using Handoff.Domain.Model;
using Handoff.Domain.Scoring;

namespace Handoff.Domain.Evaluation;

/// <summary>
/// The recent-event window (the rule of <see cref="RecentEventWindow.Trim"/>) kept up to date in place, one new event at a
/// time, with each event's appraisal: sorted by time, ties by event id, an event arriving late inserted where it belongs.
/// The plain list of events (for evidence, summaries and storage) is built only when asked for.
/// </summary>
public sealed class AppraisedWindow
{
    private const int InitialCapacity = 4;
    private readonly List<AppraisedEvent> items;
    private readonly ScoringOptions options;
    private List<EngagementEvent>? events;

    public AppraisedWindow(ScoringOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options;
        items = [];
    }

    public int Count => items.Count;

    public AppraisedEvent this[int index] => items[index];

    /// <summary>The events, oldest first; built on first use after a change.</summary>
    public IReadOnlyList<EngagementEvent> Events
    {
        get
        {
            if (events is null)
            {
                events = new List<EngagementEvent>(items.Count);
                foreach (var item in items)
                {
                    events.Add(item.Event);
                }
            }

            return events;
        }
    }

    /// <summary>
    /// Inserts the event after every event that sorts before or with it, so events equal in time and id keep their
    /// order of arrival, as the stable sort of <see cref="RecentEventWindow.Trim"/> does. Call <see cref="Trim"/> after the
    /// events of a batch.
    /// </summary>
    public void Add(AppraisedEvent e)
    {
        events = null;
        var at = items.Count;
        while (at > 0 && Compare(items[at - 1].Event, e.Event) > 0)
        {
            at--;
        }

        // Most contacts hold a few events: the array grows with the window up to the bound and one arriving, rather
        // than List's doubling past it (a batch may go beyond the bound until Trim; List's own growth takes that).
        if (items.Count == items.Capacity)
        {
            var grown = Math.Min(Math.Max(InitialCapacity, items.Capacity * 2), options.MaxRecentEvents + 1);
            if (grown > items.Count)
            {
                items.Capacity = grown;
            }
        }

        items.Insert(at, e);
    }

    /// <summary>Drops the events older than the window before <paramref name="now"/>, then the oldest beyond the most kept.</summary>
    public void Trim(DateTimeOffset now)
    {
        var oldest = now - options.RecentEventWindow;
        var expired = 0;
        while (expired < items.Count && items[expired].Event.OccurredAt < oldest)
        {
            expired++;
        }

        var drop = Math.Max(expired, items.Count - options.MaxRecentEvents);
        if (drop > 0)
        {
            events = null;
            items.RemoveRange(0, drop);
        }
    }

    /// <summary>Index of the first event after <paramref name="now"/>: the events before it are the ones in the past.</summary>
    public int EndOfPast(DateTimeOffset now)
    {
        var end = items.Count;
        while (end > 0 && items[end - 1].Event.OccurredAt > now)
        {
            end--;
        }

        return end;
    }

    /// <summary>True when the two events sort together (same time, same id).</summary>
    public static bool SameKey(EngagementEvent a, EngagementEvent b) => Compare(a, b) == 0;

    private static int Compare(EngagementEvent a, EngagementEvent b)
    {
        var byTime = a.OccurredAt.CompareTo(b.OccurredAt);
        return byTime != 0 ? byTime : string.CompareOrdinal(a.EventId, b.EventId);
    }
}
