using Handoff.Domain.Text;
using Handoff.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
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
/// The index also keeps the tenant's escalations (<see cref="TenantEscalations"/>): each entry carries when its card
/// escalates. A reminder per card would cost a write per card raised and another when it is acted on; the entry the
/// card writes anyway carries the time instead, and one reminder per tenant brings the index back after a crash.
/// </summary>
[Reentrant]
public sealed class TenantHandoffIndexGrain(
    [PersistentState("handoff-index", StorageNames.Handoff)] IPersistentState<TenantHandoffIndexState> store,
    [FromKeyedServices(StorageNames.Handoff)] IGrainStorage storage,
    IOptions<HandoffIndexOptions> options,
    IOptions<Orleans.Hosting.ReminderOptions> reminderOptions,
    TimeProvider time,
    ILogger<TenantHandoffIndexGrain> logger)
    : Grain, ITenantHandoffIndexGrain, IRemindable
{
    /// <summary>The tenant's one reminder: it ticks while any card awaits escalation.</summary>
    public const string EscalationReminder = TenantEscalations.ReminderName;

    private TenantEscalations escalations = null!;

    /// <summary>Active cards by part, then by contact id, so that writing a part copies only its own.</summary>
    private readonly Dictionary<long, Dictionary<string, ActiveHandoffEntry>> byPart = [];
    private StateParts<HandoffIndexPart> parts = null!;
    private CoalescedWrites writes = null!;
    private bool headChanged;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        parts = new StateParts<HandoffIndexPart>(storage, "handoff-index-part", this.GetGrainId());
        writes = new CoalescedWrites(WriteChangesAsync);
        var period = reminderOptions.Value.MinimumReminderPeriod;
        escalations = new TenantEscalations(this, GrainFactory, this.GetPrimaryKeyString(), time, options.Value, period, EntryOf, StoreAsync, logger);
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

        await escalations.StartAsync();
    }

    private long PartOf(string contactId) => (long)(Fnv64.Of(contactId) % (ulong)store.State.Parts);

    private void Changed(string contactId) => parts.MarkChanged(PartOf(contactId));

    private ActiveHandoffEntry? EntryOf(string contactId) => TryGet(contactId, out var entry) ? entry : null;

    /// <summary>Puts the entry and writes it; for the escalations, which clear an entry's time.</summary>
    private Task StoreAsync(ActiveHandoffEntry entry)
    {
        Put(entry);
        Changed(entry.ContactId);
        return writes.WriteAsync();
    }

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
        escalations.Schedule(entry.ContactId, entry.EscalatesAt);
    }

    private void Drop(string contactId)
    {
        if (byPart.TryGetValue(PartOf(contactId), out var entries))
        {
            entries.Remove(contactId);
        }

        escalations.Unschedule(contactId);
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
            && known.OwnerUserId == entry.OwnerUserId && known.ContactDisplayName == entry.ContactDisplayName
            && known.EscalatesAt == entry.EscalatesAt)
        {
            await writes.DurableAsync();
            return;
        }

        Put(entry);
        Changed(entry.ContactId);
        escalations.Rearm();
        await writes.WriteAsync();
        await escalations.KeepReminderAsync(dropWhenIdle: false);
    }

    async Task ITenantHandoffIndexGrain.Remove(string contactId, string cardId)
    {
        if (TryGet(contactId, out var known) && known.CardId == cardId)
        {
            Drop(contactId);
            Changed(contactId);
            escalations.Rearm();
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

    Task IRemindable.ReceiveReminder(string reminderName, TickStatus status) =>
        reminderName == EscalationReminder ? escalations.TickAsync() : Task.CompletedTask;
}
