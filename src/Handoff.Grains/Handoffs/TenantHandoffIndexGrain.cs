using Handoff.Grains.Storage;
using Orleans.Concurrency;
using Orleans.Runtime;

namespace Handoff.Grains.Handoffs;

/// <summary>
/// The tenant's active handoffs, for the list a sales team works from. Every card raised or resolved in the tenant
/// updates it, so it is reentrant and updates arriving together share one write (<see cref="CoalescedWrites"/>): every
/// method reads and changes the state without awaiting, and awaits only the write.
/// </summary>
[Reentrant]
public sealed class TenantHandoffIndexGrain(
    [PersistentState("handoff-index", StorageNames.Handoff)] IPersistentState<TenantHandoffIndexState> store)
    : Grain, ITenantHandoffIndexGrain
{
    private readonly CoalescedWrites writes = new(store.WriteStateAsync);

    async Task ITenantHandoffIndexGrain.Upsert(ActiveHandoffEntry entry)
    {
        if (store.State.Active.TryGetValue(entry.ContactId, out var known) && known.CardId == entry.CardId && known.CardVersion == entry.CardVersion
            && known.OwnerUserId == entry.OwnerUserId && known.ContactDisplayName == entry.ContactDisplayName)
        {
            await writes.DurableAsync();
            return;
        }

        store.State.Active[entry.ContactId] = entry;
        await writes.WriteAsync();
    }

    async Task ITenantHandoffIndexGrain.Remove(string contactId, string cardId)
    {
        if (store.State.Active.TryGetValue(contactId, out var known) && known.CardId == cardId)
        {
            store.State.Active.Remove(contactId);
            await writes.WriteAsync();
        }
        else
        {
            await writes.DurableAsync();
        }
    }

    Task<ActiveHandoffPage> ITenantHandoffIndexGrain.List(OwnerFilter filter, string ownerUserId, int offset, int pageSize)
    {
        var matching = store.State.Active.Values
            .Where(e => filter switch
            {
                OwnerFilter.Owner => e.OwnerUserId == ownerUserId,
                OwnerFilter.Unassigned => e.OwnerUserId.Length == 0,
                _ => true,
            })
            .OrderBy(e => e.CreatedAt).ThenBy(e => e.ContactId, StringComparer.Ordinal)
            .Skip(offset)
            .Take(pageSize + 1)
            .ToList();
        var more = matching.Count > pageSize;
        if (more)
        {
            matching.RemoveAt(matching.Count - 1);
        }

        return Task.FromResult(new ActiveHandoffPage(matching, more ? offset + pageSize : 0));
    }
}
