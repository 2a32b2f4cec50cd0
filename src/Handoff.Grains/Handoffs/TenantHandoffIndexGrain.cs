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
/// The index also keeps the tenant's escalations: each entry carries when its card escalates, and when that time comes
/// the index asks the contact, which decides (<see cref="Contacts.IContactGrain.EscalateIfDue"/>). A timer waits for
/// the earliest time while the index is active; one durable reminder per tenant, held while any card awaits
/// escalation, brings the index back after a deactivation or a crash. A reminder per card would cost a write per card
/// raised and another when it is acted on; the entry the card writes anyway carries the time instead.
/// </summary>
[Reentrant]
public sealed partial class TenantHandoffIndexGrain(
    [PersistentState("handoff-index", StorageNames.Handoff)] IPersistentState<TenantHandoffIndexState> store,
    [FromKeyedServices(StorageNames.Handoff)] IGrainStorage storage,
    IOptions<HandoffIndexOptions> options,
    IOptions<Orleans.Hosting.ReminderOptions> reminderOptions,
    TimeProvider time,
    ILogger<TenantHandoffIndexGrain> logger)
    : Grain, ITenantHandoffIndexGrain, IRemindable
{
    /// <summary>The tenant's one reminder: it ticks while any card awaits escalation.</summary>
    public const string EscalationReminder = "escalations";

    /// <summary>The reminder's period when Orleans' minimum reminder period is not set.</summary>
    private static readonly TimeSpan FallbackReminderPeriod = TimeSpan.FromMinutes(1);

    private readonly EscalationSchedule escalations = new();
    private readonly SemaphoreSlim reminderChange = new(1, 1);
    private IGrainTimer? nextEscalation;
    private DateTimeOffset? nextEscalationAt;
    private bool reminderRegistered;

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

        reminderRegistered = await this.GetReminder(EscalationReminder) is not null;
        await KeepReminderAsync(dropWhenIdle: false);
        ArmTimer();
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
        escalations.Set(entry.ContactId, entry.EscalatesAt);
    }

    private void Drop(string contactId)
    {
        if (byPart.TryGetValue(PartOf(contactId), out var entries))
        {
            entries.Remove(contactId);
        }

        escalations.Remove(contactId);
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
        ArmTimer();
        await writes.WriteAsync();
        await KeepReminderAsync(dropWhenIdle: false);
    }

    async Task ITenantHandoffIndexGrain.Remove(string contactId, string cardId)
    {
        if (TryGet(contactId, out var known) && known.CardId == cardId)
        {
            Drop(contactId);
            Changed(contactId);
            ArmTimer();
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

    async Task IRemindable.ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != EscalationReminder)
        {
            return;
        }

        await EscalateDueAsync();
        await KeepReminderAsync(dropWhenIdle: true);
    }

    /// <summary>A timer for the earliest escalation time, replacing one for another time; none when nothing awaits.</summary>
    private void ArmTimer()
    {
        var earliest = escalations.Earliest;
        if (earliest == nextEscalationAt)
        {
            return;
        }

        nextEscalation?.Dispose();
        nextEscalation = null;
        nextEscalationAt = earliest;
        if (earliest is { } at)
        {
            var wait = at - time.GetUtcNow();
            nextEscalation = this.RegisterGrainTimer(_ => EscalateDueAsync(),
                new GrainTimerCreationOptions(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, Timeout.InfiniteTimeSpan) { KeepAlive = false });
        }
    }

    /// <summary>Asks the contacts whose escalation time has come, a few at a time; each decides by its own clock.</summary>
    private async Task EscalateDueAsync()
    {
        nextEscalation?.Dispose();
        nextEscalation = null;
        nextEscalationAt = null;
        var due = escalations.TakeDue(time.GetUtcNow());
        var atOnce = options.Value.EscalationConcurrency;
        for (var first = 0; first < due.Count; first += atOnce)
        {
            await Task.WhenAll(due.Skip(first).Take(atOnce).Select(AskContactAsync));
        }

        ArmTimer();
    }

    private async Task AskContactAsync(string contactId)
    {
        if (!TryGet(contactId, out var asked) || asked.EscalatesAt is null)
        {
            return;
        }

        DateTimeOffset? askAgainAt;
        try
        {
            askAgainAt = await GrainFactory.Contact(this.GetPrimaryKeyString(), contactId).EscalateIfDue(asked.CardId);
        }
        catch (Exception e)
        {
            LogEscalationFailed(e, contactId, options.Value.EscalationRetryDelay);
            askAgainAt = time.GetUtcNow() + options.Value.EscalationRetryDelay;
        }

        // Meanwhile the contact may have sent its entry anew (escalated, acted on, resolved, a new card): that one holds.
        if (!TryGet(contactId, out var current) || current.CardId != asked.CardId || current.EscalatesAt is null)
        {
            return;
        }

        if (askAgainAt is { } at)
        {
            escalations.Set(contactId, at);
            return;
        }

        Put(current with { EscalatesAt = null });
        Changed(contactId);
        await writes.WriteAsync();
    }

    /// <summary>
    /// The reminder held while any card awaits escalation: registered when one does, removed (only at a tick, so that
    /// a tenant between cards does not register it again and again) when none does. One change at a time.
    /// </summary>
    private async Task KeepReminderAsync(bool dropWhenIdle)
    {
        if (reminderRegistered != escalations.IsEmpty)
        {
            return;
        }

        await reminderChange.WaitAsync();
        try
        {
            if (!escalations.IsEmpty && !reminderRegistered)
            {
                var minimum = reminderOptions.Value.MinimumReminderPeriod;
                var period = minimum > TimeSpan.Zero ? minimum : FallbackReminderPeriod;
                await this.RegisterOrUpdateReminder(EscalationReminder, period, period);
                reminderRegistered = true;
            }
            else if (escalations.IsEmpty && reminderRegistered && dropWhenIdle)
            {
                if (await this.GetReminder(EscalationReminder) is { } reminder)
                {
                    await this.UnregisterReminder(reminder);
                }

                reminderRegistered = false;
            }
        }
        finally
        {
            reminderChange.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Asking contact {ContactId} to escalate its card failed; asking again in {Delay}.")]
    private partial void LogEscalationFailed(Exception exception, string contactId, TimeSpan delay);
}
