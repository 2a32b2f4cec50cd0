namespace Handoff.Grains.Handoffs;

/// <summary>
/// The contacts of a tenant whose active card awaits escalation, in the order of their escalation times: what the
/// tenant's index asks about when a time comes. One time per contact (a contact has one active card).
/// </summary>
internal sealed class EscalationSchedule
{
    private readonly SortedSet<(DateTimeOffset At, string ContactId)> byTime = new(Comparer);
    private readonly Dictionary<string, DateTimeOffset> timeOf = [];

    private static readonly Comparer<(DateTimeOffset At, string ContactId)> Comparer = Comparer<(DateTimeOffset At, string ContactId)>.Create(
        (a, b) => a.At != b.At ? a.At.CompareTo(b.At) : string.CompareOrdinal(a.ContactId, b.ContactId));

    public bool IsEmpty => timeOf.Count == 0;

    /// <summary>The earliest time held; null when none is.</summary>
    public DateTimeOffset? Earliest => IsEmpty ? null : byTime.Min.At;

    /// <summary>Holds <paramref name="at"/> for the contact, replacing its earlier time; null holds none.</summary>
    public void Set(string contactId, DateTimeOffset? at)
    {
        Remove(contactId);
        if (at is { } time)
        {
            timeOf[contactId] = time;
            byTime.Add((time, contactId));
        }
    }

    public void Remove(string contactId)
    {
        if (timeOf.Remove(contactId, out var held))
        {
            byTime.Remove((held, contactId));
        }
    }

    /// <summary>Takes out the contacts whose time is <paramref name="now"/> or earlier, earliest first.</summary>
    public IReadOnlyList<string> TakeDue(DateTimeOffset now)
    {
        var due = new List<string>();
        while (byTime.Count > 0 && byTime.Min.At <= now)
        {
            var (_, contactId) = byTime.Min;
            Remove(contactId);
            due.Add(contactId);
        }

        return due;
    }
}
