using Handoff.Domain.Model;
using Handoff.Grains.Journal;
using Microsoft.Data.Sqlite;

namespace Handoff.Storage.Journal;

/// <summary>
/// What the SQLite journal knows of its rows without reading its file, as the file's one writer (one server per file,
/// docs/storage.md): which contacts had rows in the file when the server started, and every row appended since. A
/// contact's replay is answered from memory when all of its rows are among the latest appends, which is the case for
/// a contact new to the tenant, activated by the batch that brought its first events; a contact with no row at all
/// has nothing to replay. Any other contact is read from the file, and so is a contact's second replay: rows are held
/// from their append until their contact's activation takes them.
/// </summary>
/// <remarks>
/// Contacts are told apart by a hash of tenant and contact. A collision can only send a read to the file: rows of two
/// contacts under one hash mark it as read from the file, and a contact whose hash another contact holds is read too.
/// A row joins after its transaction commits and before its append is acknowledged, so an answer from here holds every
/// acknowledged row of the contact, as a read of the file does.
/// </remarks>
internal sealed class RecentAppends
{
    private static readonly IReadOnlyList<EngagementEvent> NoEvents = [];

    private readonly Lock gate = new();

    /// <summary>Contacts all of whose rows are held here: their events in append order.</summary>
    private readonly Dictionary<int, HeldContact> held = [];

    /// <summary>
    /// Contacts read from the file from now on: those with rows at start-up, those answered from here once, those whose
    /// rows left, and those that share a hash.
    /// </summary>
    private readonly HashSet<int> inFileOnly;

    /// <summary>The contact of each held row, oldest first from <see cref="oldest"/>: when a row leaves, so does its contact.</summary>
    private readonly int[] rows;

    private int oldest;
    private int count;

    private RecentAppends(HashSet<int> inFileOnly, int capacity)
    {
        this.inFileOnly = inFileOnly;
        rows = new int[capacity];
    }

    /// <summary>
    /// Reads which contacts have rows in the journal, before anything appends, from the contact index alone (its
    /// entries in order, no payload read).
    /// </summary>
    public static RecentAppends Read(SqliteConnection connection, int capacity)
    {
        var contacts = new HashSet<int>();
        using var rows = new SqliteStatement(connection, "SELECT DISTINCT TenantId, ContactId FROM EventJournal;");
        while (rows.Read())
        {
            contacts.Add(Key(rows.GetString(0), rows.GetString(1)));
        }

        rows.Reset();
        return new RecentAppends(contacts, capacity);
    }

    /// <summary>The rows of a committed group, each entry its answer says was appended now; before the group's acknowledgement.</summary>
    public void Committed(IReadOnlyList<PendingAppend> group, IReadOnlyList<JournalHolder?[]> answers)
    {
        lock (gate)
        {
            for (var a = 0; a < group.Count; a++)
            {
                var append = group[a];
                for (var i = 0; i < append.Entries.Count; i++)
                {
                    if (answers[a][i] is null)
                    {
                        var entry = append.Entries[i];
                        Add(append.TenantId, entry.ContactId, JournalAnswers.StampedAt(entry.Event, append.AppendedAt));
                    }
                }
            }
        }
    }

    /// <summary>
    /// The contact's events appended at or after <paramref name="since"/>, when every row it has is held here (none, for
    /// a contact without rows); false when the file must be read. A contact is answered from here once: the activation
    /// that replays its rows holds them from then on and gets the later ones as calls, so memory holds a row only from
    /// its append to its contact's activation, and a later replay of the contact (a later activation) reads the file.
    /// </summary>
    public bool TryTake(string tenantId, string contactId, DateTimeOffset since, out IReadOnlyList<EngagementEvent> events)
    {
        var key = Key(tenantId, contactId);
        lock (gate)
        {
            if (held.TryGetValue(key, out var contact))
            {
                var whole = contact.Is(tenantId, contactId);
                events = whole ? contact.Since(since) : NoEvents;
                if (whole)
                {
                    ReadFromFile(key);
                }

                return whole;
            }

            // Not in the file either: nothing to replay. The contact's next rows reach this activation as calls.
            events = NoEvents;
            return inFileOnly.Add(key);
        }
    }

    /// <summary>Rows are leaving the file (pruning): from now on every contact held here is read from the file.</summary>
    public void Forget()
    {
        lock (gate)
        {
            inFileOnly.UnionWith(held.Keys);
            held.Clear();
            count = 0;
        }
    }

    private void Add(string tenantId, string contactId, EngagementEvent e)
    {
        var key = Key(tenantId, contactId);
        if (inFileOnly.Contains(key))
        {
            return;
        }

        if (!held.TryGetValue(key, out var contact))
        {
            held.Add(key, new HeldContact(tenantId, contactId, e));
        }
        else if (contact.Is(tenantId, contactId))
        {
            contact.Events.Add(e);
        }
        else
        {
            ReadFromFile(key);
            return;
        }

        if (count == rows.Length)
        {
            ReadFromFile(rows[oldest]);
            oldest = (oldest + 1) % rows.Length;
            count--;
        }

        rows[(oldest + count) % rows.Length] = key;
        count++;
    }

    private void ReadFromFile(int key)
    {
        if (held.Remove(key))
        {
            inFileOnly.Add(key);
        }
    }

    private static int Key(string tenantId, string contactId) => HashCode.Combine(tenantId, contactId);

    private sealed class HeldContact(string tenantId, string contactId, EngagementEvent first)
    {
        public List<EngagementEvent> Events { get; } = [first];

        public bool Is(string tenant, string contact) => tenantId == tenant && contactId == contact;

        /// <summary>The events appended at or after <paramref name="since"/>: all of them, unless a replay starts after one.</summary>
        public IReadOnlyList<EngagementEvent> Since(DateTimeOffset since)
        {
            foreach (var e in Events)
            {
                if (e.AppendedAt < since)
                {
                    return Events.FindAll(kept => kept.AppendedAt >= since);
                }
            }

            return Events;
        }
    }
}
