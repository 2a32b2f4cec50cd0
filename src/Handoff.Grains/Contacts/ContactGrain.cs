using Orleans.Runtime;
using Handoff.Domain.Model;
using Microsoft.Extensions.Logging;

namespace Handoff.Grains.Contacts;

/// <summary>
/// Loads the contact, applies one change through <see cref="ContactModel"/>, stores it with one write, then
/// delivers the effects the change queued. A failed write reloads the stored state, so memory never runs ahead
/// of storage (an event not stored must not be remembered as seen).
/// </summary>
public sealed partial class ContactGrain(
    [PersistentState("contact", StorageNames.Handoff)] IPersistentState<ContactState> store,
    HandoffEngine engine,
    TimeProvider time,
    CardMetrics cardMetrics,
    ILogger<ContactGrain> logger) : Grain, IContactGrain
{
    private ContactModel model = null!;
    private string tenantId = "";
    private string contactId = "";
    private IGrainTimer? effectRetry;
    private TimeSpan nextRetryDelay;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (tenantId, contactId) = GrainKeys.Parse(this.GetPrimaryKeyString());
        model = new ContactModel(store.State, tenantId, contactId, engine);
        nextRetryDelay = engine.Contacts.EffectRetryDelay;
        if (store.State.PendingEffects.Count > 0)
        {
            // A previous activation stored a change but did not finish telling the inboxes.
            await DeliverEffectsAsync();
        }
    }

    Task<ContactSnapshot> IContactGrain.Get()
    {
        if (!store.State.Exists)
        {
            throw new ContactNotFoundException(GrainKeys.Parse(this.GetPrimaryKeyString()).Id);
        }

        return Task.FromResult(model.Snapshot(time.GetUtcNow()));
    }

    async Task<ContactSnapshot> IContactGrain.Upsert(ProfileUpdate update)
    {
        var now = time.GetUtcNow();
        await ChangeAsync(async () =>
        {
            await model.UpsertAsync(update, now, CancellationToken.None);
            return true;
        });
        return model.Snapshot(now);
    }

    async Task<IngestOutcome> IContactGrain.Ingest(IReadOnlyList<StoredEvent> events)
    {
        var now = time.GetUtcNow();
        var outcome = new IngestOutcome(0, 0);
        await ChangeAsync(async () =>
        {
            model.ForgetExpiredEventIds(now);
            outcome = await model.IngestAsync(events, now, CancellationToken.None);
            return outcome.Accepted > 0;
        });
        return outcome;
    }

    Task<ContactSnapshot> IContactGrain.SetAutoEngage(bool enabled, string cardId, string actorUserId) =>
        ActAsync(now => model.SetAutoEngage(enabled, cardId, actorUserId, now));

    Task<ContactSnapshot> IContactGrain.AssignOwner(string ownerUserId, string cardId, string actorUserId) =>
        ActAsync(now => model.AssignOwner(ownerUserId, cardId, actorUserId, now));

    Task<ContactSnapshot> IContactGrain.ResumeAutomation(string cardId, string actorUserId) =>
        ActAsync(now => model.ResumeAutomation(cardId, actorUserId, now));

    Task<ContactSnapshot> IContactGrain.PauseAllOutreach(string cardId, string actorUserId, string reason) =>
        ActAsync(now => model.PauseAllOutreach(cardId, actorUserId, reason, now));

    Task<ContactSnapshot> IContactGrain.ResumeOutreach(string cardId, string actorUserId) =>
        ActAsync(now => model.ResumeOutreach(cardId, actorUserId, now));

    Task<HistoryPage> IContactGrain.GetHistory(long afterSequence, int pageSize)
    {
        EnsureExists();
        var entries = store.State.History.Where(h => h.Sequence > afterSequence).Take(pageSize + 1).ToList();
        var more = entries.Count > pageSize;
        if (more)
        {
            entries.RemoveAt(entries.Count - 1);
        }

        return Task.FromResult(new HistoryPage(entries, more ? entries[^1].Sequence : 0));
    }

    async Task<OutreachMessageState> IContactGrain.QueueMessage(NewOutreachMessage message)
    {
        EnsureExists();
        OutreachMessageState? queued = null;
        await ChangeAsync(() =>
        {
            var countBefore = store.State.Outbox.Count;
            queued = model.QueueMessage(message, time.GetUtcNow());
            return ValueTask.FromResult(store.State.Outbox.Count != countBefore);
        });
        return queued!;
    }

    Task<OutboxPage> IContactGrain.ListMessages(int offset, int pageSize)
    {
        EnsureExists();
        var page = store.State.Outbox.Skip(offset).Take(pageSize).ToList();
        var next = offset + page.Count < store.State.Outbox.Count ? offset + page.Count : 0;
        return Task.FromResult(new OutboxPage(page, next));
    }

    Task<GateAnswer> IContactGrain.CheckOutreach(MessageSource source)
    {
        EnsureExists();
        return Task.FromResult(model.CheckOutreach(source));
    }

    async Task<IReadOnlyList<OutreachMessageState>> IContactGrain.ClaimDueMessages(int max)
    {
        EnsureExists();
        IReadOnlyList<OutreachMessageState> claimed = [];
        // Stored before returning: a message handed out is never handed out again, even after a crash.
        await ChangeAsync(() =>
        {
            claimed = model.ClaimDue(max, time.GetUtcNow());
            return ValueTask.FromResult(claimed.Count > 0);
        });
        return claimed;
    }

    private async Task<ContactSnapshot> ActAsync(Func<DateTimeOffset, bool> action)
    {
        EnsureExists();
        var now = time.GetUtcNow();
        await ChangeAsync(() => ValueTask.FromResult(action(now)));
        return model.Snapshot(now);
    }

    private void EnsureExists()
    {
        if (!store.State.Exists)
        {
            throw new ContactNotFoundException(GrainKeys.Parse(this.GetPrimaryKeyString()).Id);
        }
    }

    /// <summary>
    /// Runs one change and stores it when it changed anything. Any failure after the state was touched reloads the
    /// stored state; the rule violations below are thrown before anything is touched.
    /// </summary>
    private async Task ChangeAsync(Func<ValueTask<bool>> change)
    {
        var cardBefore = store.State.Card;
        bool changed;
        try
        {
            changed = await change();
        }
        catch (Exception e) when (e is not (StaleCardException or ContactNotFoundException or OutboxFullException))
        {
            await ReloadAsync();
            throw;
        }

        if (changed)
        {
            await CommitAsync();
            ReportCardTransition(cardBefore, store.State.Card);
        }
    }

    /// <summary>Metrics and a log line for a card raised or resolved by a change that is now stored.</summary>
    private void ReportCardTransition(CardState? before, CardState? after)
    {
        if (ReferenceEquals(before, after))
        {
            return;
        }

        cardMetrics.Transition(before, after);
        if (before is { IsActive: true } && (after is null || after.CardId != before.CardId || !after.IsActive))
        {
            var resolved = after?.CardId == before.CardId ? after : null;
            LogCardResolved(tenantId, contactId, before.CardId, resolved?.Resolution?.ToString() ?? "Replaced", resolved?.ResolvedByUserId ?? "");
        }

        if (after is { IsActive: true } && (before is null || before.CardId != after.CardId || !before.IsActive))
        {
            LogCardRaised(tenantId, contactId, after.CardId, string.Join(",", after.Reasons.Select(r => r.Reason)), after.ScoreAtRaise);
        }
    }

    /// <summary>Stores the change, then delivers what it owes other grains. Delivery failures are retried later, never surfaced: the change is already durable.</summary>
    private async Task CommitAsync()
    {
        try
        {
            await store.WriteStateAsync();
        }
        catch
        {
            await ReloadAsync();
            throw;
        }

        if (store.State.PendingEffects.Count > 0)
        {
            await DeliverEffectsAsync();
        }
    }

    private async Task ReloadAsync()
    {
        try
        {
            await store.ReadStateAsync();
            model = new ContactModel(store.State, tenantId, GrainKeys.Parse(this.GetPrimaryKeyString()).Id, engine);
        }
        catch (Exception e)
        {
            LogReloadFailed(e);
            DeactivateOnIdle();
        }
    }

    private async Task DeliverEffectsAsync()
    {
        try
        {
            while (store.State.PendingEffects.Count > 0)
            {
                await DeliverAsync(store.State.PendingEffects[0]);
                store.State.PendingEffects.RemoveAt(0);
            }

            await store.WriteStateAsync();
            nextRetryDelay = engine.Contacts.EffectRetryDelay;
            effectRetry?.Dispose();
            effectRetry = null;
        }
        catch (Exception e)
        {
            LogEffectDeliveryFailed(e, store.State.PendingEffects.Count, nextRetryDelay);
            ScheduleEffectRetry();
        }
    }

    private void ScheduleEffectRetry()
    {
        effectRetry?.Dispose();
        effectRetry = this.RegisterGrainTimer(_ => DeliverEffectsAsync(), new GrainTimerCreationOptions(nextRetryDelay, Timeout.InfiniteTimeSpan));
        var doubled = nextRetryDelay * 2;
        nextRetryDelay = doubled < engine.Contacts.MaxEffectRetryDelay ? doubled : engine.Contacts.MaxEffectRetryDelay;
    }

    private Task DeliverAsync(PendingEffect effect) => effect switch
    {
        DeliverNotification d => (Task)GrainFactory.Inbox(tenantId, d.Inbox).Deliver(d.Notice),
        ResolveNotification r => GrainFactory.Inbox(tenantId, r.Inbox).Resolve(r.CardId, r.Resolution, r.At),
        IndexActiveHandoff i => GrainFactory.HandoffIndex(tenantId).Upsert(i.Entry),
        UnindexHandoff u => GrainFactory.HandoffIndex(tenantId).Remove(u.ContactId, u.CardId),
        _ => throw new InvalidOperationException($"Unknown effect {effect.GetType().Name}."),
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Handoff card {CardId} raised for contact {ContactId} of tenant {TenantId}: {Reasons} at score {Score}.")]
    private partial void LogCardRaised(string tenantId, string contactId, string cardId, string reasons, int score);

    [LoggerMessage(Level = LogLevel.Information, Message = "Handoff card {CardId} of contact {ContactId} of tenant {TenantId} resolved ({Resolution}) by {ActorUserId}.")]
    private partial void LogCardResolved(string tenantId, string contactId, string cardId, string resolution, string actorUserId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivering {Count} pending effects failed; retrying in {Delay}.")]
    private partial void LogEffectDeliveryFailed(Exception exception, int count, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reloading contact state after a failed write failed; deactivating.")]
    private partial void LogReloadFailed(Exception exception);
}
