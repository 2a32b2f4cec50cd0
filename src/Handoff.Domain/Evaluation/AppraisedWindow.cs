using Handoff.Domain.Model;
using Handoff.Domain.Scoring;

namespace Handoff.Domain.Evaluation;

/// <summary>
/// The recent-event window (the rule of <see cref="RecentEventWindow.Trim"/>) kept up to date in place, one new event at a
/// time, with each event's appraisal: sorted by time, ties by event id, an event arriving late inserted where it belongs.
/// </summary>
/// <remarks>
/// Each event is kept as a <see cref="WindowEvent"/> of values, its words copied into one character store per window,
/// so keeping an event adds no object for the garbage collector to find through the contact and move: a contact lives
/// long, its new events arrive all the time, and the objects they were kept as were most of what every collection had
/// to promote (measured in docs/ingest-durability.md). The events as objects, for evidence, summaries and storage, are
/// built again only when asked for.
/// </remarks>
public sealed class AppraisedWindow
{
    private readonly ScoringOptions options;
    private WindowEvent[] items = [];
    private int count;

    /// <summary>The words of the events kept, each event's one after the other; what <see cref="Trim"/> drops stays until the store is rebuilt.</summary>
    private char[] words = [];
    private int wordsUsed;
    private int wordsLive;

    public AppraisedWindow(ScoringOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options;
    }

    public int Count => count;

    public ref readonly WindowEvent this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)count, nameof(index));
            return ref items[index];
        }
    }

    /// <summary>The events, oldest first, built anew on every call.</summary>
    public IReadOnlyList<EngagementEvent> Events
    {
        get
        {
            var events = new List<EngagementEvent>(count);
            for (var i = 0; i < count; i++)
            {
                events.Add(EventAt(i));
            }

            return events;
        }
    }

    /// <summary>The event at <paramref name="index"/> as it arrived.</summary>
    public EngagementEvent EventAt(int index)
    {
        ref readonly var e = ref this[index];
        var at = e.WordsStart;
        return new EngagementEvent
        {
            EventId = Word(ref at, e.IdLength)!,
            Text = Word(ref at, e.TextLength),
            Feature = Word(ref at, e.FeatureLength),
            OwnerUserId = Word(ref at, e.OwnerLength),
            Type = e.Type,
            OccurredAt = e.OccurredAt,
            Channel = e.Channel,
            PricingPage = e.PricingPage,
            AppointmentTime = e.AppointmentTime,
            Stage = e.Stage,
            Phase = e.Phase,
        };
    }

    /// <summary>The text of the event at <paramref name="index"/>, or null when it has none.</summary>
    public string? TextAt(int index)
    {
        ref readonly var e = ref this[index];
        var at = e.WordsStart + e.IdLength;
        return Word(ref at, e.TextLength);
    }

    /// <summary>True when the events at the two places have the same id.</summary>
    public bool SameId(int a, int b) => IdOf(this[a]).SequenceEqual(IdOf(this[b]));

    /// <summary>True when the events at the two places sort together (same time, same id).</summary>
    public bool SameKey(int a, int b) => this[a].OccurredAt == this[b].OccurredAt && SameId(a, b);

    /// <summary>
    /// Inserts the event after every event that sorts before or with it, so events equal in time and id keep their
    /// order of arrival, as the stable sort of <see cref="RecentEventWindow.Trim"/> does. Call <see cref="Trim"/> after the
    /// events of a batch.
    /// </summary>
    public void Add(AppraisedEvent e)
    {
        var added = e.Event;
        ArgumentNullException.ThrowIfNull(added);
        var at = count;
        while (at > 0 && Compare(items[at - 1], added) > 0)
        {
            at--;
        }

        EnsureRoomForOneMore();
        var wordsStart = Store(added.EventId, added.Text, added.Feature, added.OwnerUserId);
        Array.Copy(items, at, items, at + 1, count - at);
        items[at] = new WindowEvent(e, wordsStart);
        count++;
    }

    /// <summary>Drops the events older than the window before <paramref name="now"/>, then the oldest beyond the most kept.</summary>
    public void Trim(DateTimeOffset now)
    {
        var oldest = now - options.RecentEventWindow;
        var expired = 0;
        while (expired < count && items[expired].OccurredAt < oldest)
        {
            expired++;
        }

        var drop = Math.Max(expired, count - options.MaxRecentEvents);
        if (drop <= 0)
        {
            return;
        }

        for (var i = 0; i < drop; i++)
        {
            wordsLive -= items[i].WordsSize;
        }

        Array.Copy(items, drop, items, 0, count - drop);
        count -= drop;
        if (count == 0)
        {
            wordsUsed = 0;
        }
    }

    /// <summary>Index of the first event after <paramref name="now"/>: the events before it are the ones in the past.</summary>
    public int EndOfPast(DateTimeOffset now)
    {
        var end = count;
        while (end > 0 && items[end - 1].OccurredAt > now)
        {
            end--;
        }

        return end;
    }

    /// <summary>
    /// Most contacts hold a few events: the array grows with the window up to the bound and one arriving, rather than
    /// doubling past it; a batch may go beyond the bound until <see cref="Trim"/>, and then it doubles.
    /// </summary>
    private void EnsureRoomForOneMore()
    {
        if (count < items.Length)
        {
            return;
        }

        var bound = options.MaxRecentEvents + 1;
        var grown = count < bound ? Math.Min(Math.Max(1, items.Length * 2), bound) : items.Length * 2;
        Array.Resize(ref items, grown);
    }

    /// <summary>Copies the event's words to the end of the store, rebuilt with only the live words when it is full; returns where they start.</summary>
    private int Store(string id, string? text, string? feature, string? owner)
    {
        var needed = id.Length + (text?.Length ?? 0) + (feature?.Length ?? 0) + (owner?.Length ?? 0);
        if (wordsUsed + needed > words.Length)
        {
            Rebuild(needed);
        }

        var start = wordsUsed;
        foreach (var word in (ReadOnlySpan<string?>)[id, text, feature, owner])
        {
            word.AsSpan().CopyTo(words.AsSpan(wordsUsed));
            wordsUsed += word?.Length ?? 0;
        }

        wordsLive += needed;
        return start;
    }

    /// <summary>A store of twice what is live and <paramref name="needed"/>, the live words moved into it in window order.</summary>
    private void Rebuild(int needed)
    {
        var rebuilt = new char[words.Length == 0 ? needed : (wordsLive + needed) * 2];
        var used = 0;
        for (var i = 0; i < count; i++)
        {
            ref var e = ref items[i];
            var size = e.WordsSize;
            Array.Copy(words, e.WordsStart, rebuilt, used, size);
            e = e.MovedTo(used);
            used += size;
        }

        words = rebuilt;
        wordsUsed = used;
    }

    /// <summary>The word of <paramref name="length"/> at <paramref name="at"/>, which it moves past.</summary>
    private string? Word(ref int at, int length)
    {
        if (length == WindowEvent.NoWord)
        {
            return null;
        }

        var word = length == 0 ? "" : new string(words, at, length);
        at += length;
        return word;
    }

    /// <summary>The event's words one after the other: its id, then its text, feature and owner, each as long as the event says.</summary>
    internal ReadOnlySpan<char> WordsOf(in WindowEvent e) => words.AsSpan(e.WordsStart, e.WordsSize);

    private ReadOnlySpan<char> IdOf(in WindowEvent e) => words.AsSpan(e.WordsStart, e.IdLength);

    private int Compare(in WindowEvent kept, EngagementEvent added)
    {
        var byTime = kept.OccurredAt.CompareTo(added.OccurredAt);
        return byTime != 0 ? byTime : IdOf(kept).SequenceCompareTo(added.EventId.AsSpan());
    }
}
