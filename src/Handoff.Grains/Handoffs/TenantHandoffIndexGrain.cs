using Handoff.Domain.Text;
using Handoff.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Runtime;
using Orleans.Storage;

namespace Handoff.Grains.Handoffs;

/// <summary>
/// The tenant's active handoffs, for the list a sales team works from. Every card raised or resolved in the tenant
/// updates it, so it is reentrant and updates arriving together share one write (<see cref="CoalescedWrites"/>): every
/// method reads and changes the state without awaiting, and awaits only the write. The entries are stored in parts
/// by a hash of the contact id, and a write carries only the parts that changed.
/// </summary>
[Reentrant]
public sealed class TenantHandoffIndexGrain(
    [PersistentState("handoff-index", StorageNames.Handoff)] IPersistentState<TenantHandoffIndexState> store,
    [FromKeyedServices(StorageNames.Handoff)] IGrainStorage storage,
    IOptions<HandoffIndexOptions> options)
    : Grain, ITenantHandoffIndexGrain
{
    /// <summary>Active cards by part, then by contact id, so that writing a part copies only its own.</summary>
    private readonly Dictionary<long, Dictionary<string, ActiveHandoffEntry>> byPart = [];
    private StateParts<HandoffIndexPart> parts = null!;
    private CoalescedWrites writes = null!;
    private bool headChanged;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        parts = new StateParts<HandoffIndexPart>(storage, "handoff-index-part", this.GetGrainId());
        writes = new CoalescedWrites(WriteChangesAsync);
        var head = store.State;
        var numbers = Enumerable.Range(0, head.Parts).Select(part => (long)part).ToList();
        foreach (var stored in await parts.ReadManyAsync(numbers, options.Value.ActivationReadConcurrency))
        {
            if (stored is null)
            {
                continue;
            }

            foreach (var entry in stored.Active.Values)
            {
                Put(entry);
            }
        }

        if (head.Parts == 0)
        {
            head.Parts = options.Value.Parts;
            headChanged = true;
        }
    }

    private long PartOf(string contactId) => (long)(Fnv64.Of(contactId) % (ulong)store.State.Parts);

    private void Changed(string contactId) => parts.MarkChanged(PartOf(contactId));

    private bool TryGet(string contactId, out ActiveHandoffEntry entry)
    {
        entry = null!;
        return byPart.TryGetValue(PartOf(contactId), out var entries) && entries.TryGetValue(contactId, out entry!);
    }

    private void Put(ActiveHandoffEntry entry)
    {
        var part = PartOf(entry.ContactId);
        if (!byPart.TryGetValue(part, out var entries))
        {
            byPart[part] = entries = [];
        }

        entries[entry.ContactId] = entry;
    }

    private void Drop(string contactId)
    {
        if (byPart.TryGetValue(PartOf(contactId), out var entries))
        {
            entries.Remove(contactId);
        }
    }

    /// <summary>The changed parts, then the head (only when the layout is first written).</summary>
    private async Task WriteChangesAsync()
    {
        await parts.WriteChangedAsync(part => new HandoffIndexPart
        {
            Active = byPart.TryGetValue(part, out var entries) ? new Dictionary<string, ActiveHandoffEntry>(entries) : [],
        });
        if (headChanged)
        {
            await store.WriteStateAsync();
            headChanged = false;
        }
    }

    async Task ITenantHandoffIndexGrain.Upsert(ActiveHandoffEntry entry)
    {
        if (TryGet(entry.ContactId, out var known) && known.CardId == entry.CardId && known.CardVersion == entry.CardVersion
            && known.OwnerUserId == entry.OwnerUserId && known.ContactDisplayName == entry.ContactDisplayName)
        {
            await writes.DurableAsync();
            return;
        }

        Put(entry);
        Changed(entry.ContactId);
        await writes.WriteAsync();
    }

    async Task ITenantHandoffIndexGrain.Remove(string contactId, string cardId)
    {
        if (TryGet(contactId, out var known) && known.CardId == cardId)
        {
            Drop(contactId);
            Changed(contactId);
            await writes.WriteAsync();
        }
        else
        {
            await writes.DurableAsync();
        }
    }

    Task<ActiveHandoffPage> ITenantHandoffIndexGrain.List(OwnerFilter filter, string ownerUserId, int offset, int pageSize)
    {
        var matching = byPart.Values.SelectMany(entries => entries.Values)
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
