namespace Handoff.Domain.Contacts;

/// <summary>
/// A contact's audit trail: entries numbered 1, 2, 3 … in the order they happen, a number never given twice (also once
/// the oldest entries are dropped), at most <c>maxEntries</c> kept, the oldest dropped first; read a page at a time
/// after a sequence number. Works on the list it is given (the contact's stored one), so nothing is copied.
/// </summary>
public sealed class AuditTrail<TEntry>
{
    private readonly List<TEntry> entries;
    private readonly Func<TEntry, long> sequenceOf;
    private readonly int maxEntries;

    public AuditTrail(List<TEntry> entries, Func<TEntry, long> sequenceOf, long lastSequence, int maxEntries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(sequenceOf);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxEntries);
        this.entries = entries;
        this.sequenceOf = sequenceOf;
        this.maxEntries = maxEntries;
        LastSequence = lastSequence;
    }

    /// <summary>The number of the latest entry (0 before the first).</summary>
    public long LastSequence { get; private set; }

    public IReadOnlyList<TEntry> Entries => entries;

    /// <summary>Adds the entry <paramref name="entryNumbered"/> makes under the next number; returns that number.</summary>
    public long Append(Func<long, TEntry> entryNumbered)
    {
        ArgumentNullException.ThrowIfNull(entryNumbered);
        LastSequence++;
        entries.Add(entryNumbered(LastSequence));
        var excess = entries.Count - maxEntries;
        if (excess > 0)
        {
            entries.RemoveRange(0, excess);
        }

        return LastSequence;
    }

    /// <summary>
    /// Up to <paramref name="pageSize"/> entries numbered after <paramref name="afterSequence"/>, oldest first, and the
    /// number to read the next page after (0 when this page is the last).
    /// </summary>
    public (IReadOnlyList<TEntry> Entries, long NextAfterSequence) PageAfter(long afterSequence, int pageSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pageSize);
        var page = entries.Where(e => sequenceOf(e) > afterSequence).Take(pageSize + 1).ToList();
        var more = page.Count > pageSize;
        if (more)
        {
            page.RemoveAt(page.Count - 1);
        }

        return (page, more ? sequenceOf(page[^1]) : 0);
    }
}
