using Orleans.Runtime;
namespace Handoff.Grains.Handoffs;

public sealed class TenantHandoffIndexGrain(
    [PersistentState("handoff-index", StorageNames.Handoff)] IPersistentState<TenantHandoffIndexState> store)
    : Grain, ITenantHandoffIndexGrain
{
    async Task ITenantHandoffIndexGrain.Upsert(ActiveHandoffEntry entry)
    {
        if (store.State.Active.TryGetValue(entry.ContactId, out var known) && known.CardId == entry.CardId && known.CardVersion == entry.CardVersion
            && known.OwnerUserId == entry.OwnerUserId && known.ContactDisplayName == entry.ContactDisplayName)
        {
            return;
        }

        store.State.Active[entry.ContactId] = entry;
        await store.WriteStateAsync();
    }

    async Task ITenantHandoffIndexGrain.Remove(string contactId, string cardId)
    {
        if (store.State.Active.TryGetValue(contactId, out var known) && known.CardId == cardId)
        {
            store.State.Active.Remove(contactId);
            await store.WriteStateAsync();
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
