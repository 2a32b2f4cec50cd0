using Handoff.Grains.Journal;
using Orleans.Serialization;

namespace Handoff.Storage.Journal;

/// <summary>A batch waiting for a journal's writer: its entries and their payloads.</summary>
internal sealed record PendingAppend(string TenantId, IReadOnlyList<JournalEntry> Entries, byte[][] Payloads, DateTimeOffset AppendedAt);

/// <summary>
/// The appends waiting for a journal's writers (group commit). A batch is serialized as it is queued, on its caller's
/// thread, so that the writers, the journal's one lane to its store, only write; a writer takes every append waiting,
/// up to a bound on their events, and writes them in one go.
/// </summary>
internal sealed class JournalAppendQueue(Serializer serializer, int maxEventsPerGroup, bool oneWriter)
    : GroupedRequests<PendingAppend, IReadOnlyList<JournalHolder?>>(maxEventsPerGroup, append => append.Entries.Count, oneWriter)
{
    public Task<IReadOnlyList<JournalHolder?>> AppendAsync(string tenantId, IReadOnlyList<JournalEntry> entries, DateTimeOffset appendedAt)
    {
        if (entries.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<JournalHolder?>>([]);
        }

        var payloads = new byte[entries.Count][];
        for (var i = 0; i < entries.Count; i++)
        {
            payloads[i] = serializer.SerializeToArray(entries[i].Event);
        }

        return Enqueue(new PendingAppend(tenantId, entries, payloads, appendedAt));
    }
}
