using Handoff.Domain.Model;
using Handoff.Grains.Contacts;
using Handoff.Grains.Journal;

namespace Handoff.Testing;

/// <summary>
/// The event journal of the in-memory store: the same contract, kept in this process only (not durable). The
/// benchmark's baseline for "storage costs nothing".
/// </summary>
public sealed class MemoryEventJournal : IEventJournal
{
    private readonly Lock gate = new();
    private readonly Dictionary<(string Tenant, string EventId), JournalHolder> holders = [];
    private readonly Dictionary<(string Tenant, string ContactId), List<(DateTimeOffset AppendedAt, EngagementEvent Event)>> byContact = [];

    public Task<IReadOnlyList<JournalHolder?>> AppendAsync(string tenantId, IReadOnlyList<JournalEntry> entries, DateTimeOffset appendedAt,
        CancellationToken cancellationToken = default)
    {
        var answers = new JournalHolder?[entries.Count];
        lock (gate)
        {
            for (var i = 0; i < entries.Count; i++)
            {
                var (contactId, e) = entries[i];
                if (holders.TryGetValue((tenantId, e.EventId), out var holder))
                {
                    answers[i] = holder;
                    continue;
                }

                holders[(tenantId, e.EventId)] = new JournalHolder(contactId, appendedAt);
                if (!byContact.TryGetValue((tenantId, contactId), out var events))
                {
                    byContact[(tenantId, contactId)] = events = [];
                }

                events.Add((appendedAt, e));
            }
        }

        return Task.FromResult<IReadOnlyList<JournalHolder?>>(answers);
    }

    public Task<IReadOnlyList<EngagementEvent>> ReadContactAsync(string tenantId, string contactId, DateTimeOffset since,
        CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            IReadOnlyList<EngagementEvent> events = byContact.TryGetValue((tenantId, contactId), out var all)
                ? all.Where(e => e.AppendedAt >= since).Select(e => JournalAnswers.StampedAt(e.Event, e.AppendedAt)).ToList()
                : [];
            return Task.FromResult(events);
        }
    }

    public Task<IReadOnlyList<JournaledContact>> ReadContactsAppendedSinceAsync(DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            IReadOnlyList<JournaledContact> contacts = byContact
                .Where(c => c.Value.Any(e => e.AppendedAt >= since))
                .Select(c => new JournaledContact(c.Key.Tenant, c.Key.ContactId))
                .ToList();
            return Task.FromResult(contacts);
        }
    }

    public Task<DateTimeOffset?> ReadLatestAppendAsync(CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            var latest = byContact.Values.SelectMany(events => events).Select(e => (DateTimeOffset?)e.AppendedAt).Max();
            return Task.FromResult(latest);
        }
    }

    public Task<long> PruneAsync(DateTimeOffset appendedBefore, CancellationToken cancellationToken = default)
    {
        long deleted = 0;
        lock (gate)
        {
            foreach (var ((tenant, _), events) in byContact)
            {
                foreach (var (_, e) in events.Where(e => e.AppendedAt < appendedBefore))
                {
                    holders.Remove((tenant, e.EventId));
                }

                deleted += events.RemoveAll(e => e.AppendedAt < appendedBefore);
            }
        }

        return Task.FromResult(deleted);
    }
}
