using Orleans.Runtime;
using Handoff.Domain.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReminderOptions = Orleans.Hosting.ReminderOptions;

namespace Handoff.Grains.Contacts;

/// <summary>
/// Loads the contact, applies one change through <see cref="ContactModel"/>, stores it with one write, then
/// delivers the effects the change queued. A failed write reloads the stored state, so memory never runs ahead
/// of storage (an event not stored must not be remembered as seen).
/// A card left ACTIVE past its SLA is escalated by a durable reminder (<see cref="EscalationReminder"/>), registered
/// and removed as effects of the changes that raise, act on, resolve or escalate the card.
/// </summary>
public sealed partial class ContactGrain(
    [PersistentState("contact", StorageNames.Handoff)] IPersistentState<ContactState> store,
    HandoffEngine engine,
    TimeProvider time,
    CardMetrics cardMetrics,
    IOptions<ReminderOptions> reminderOptions,
    ILogger<ContactGrain> logger) : Grain, IContactGrain, IRemindable
{
    /// <summary>The name of the contact's one reminder: it fires when the active card's SLA has passed.</summary>
    public const string EscalationReminder = "escalation";

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

        await CatchUpOnEscalationAsync();
    }

    /// <summary>
    /// The escalation reminder fired. The decision is the grain's, by its own clock: escalate when the active card has
    /// waited past the SLA with nobody acting on it; otherwise the reminder has nothing left to do and goes (or, fired
    /// early by another clock, is moved to the card's due time).
    /// </summary>
    async Task IRemindable.ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != EscalationReminder)
        {
            return;
        }

        var now = time.GetUtcNow();
        if (store.State.Card is { AwaitsEscalation: true } card && now < model.EscalationDueAt(card))
        {
            await RegisterEscalationReminderAsync(model.EscalationDueAt(card));
            return;
        }

        var escalated = false;
        await ChangeAsync(() => ValueTask.FromResult(escalated = model.Escalate(now)));
        if (!escalated)
        {
            // Acted on, resolved or escalated before this tick (a late tick, or one whose removal failed): nothing is
            // left to remind of. (An escalation just now removed the reminder through its CancelEscalation effect.)
            await UnregisterEscalationReminderAsync();
        }
    }

    /// <summary>
    /// Belt and braces for the reminder: on activation, a card found past its SLA escalates at once, and an active card
    /// stored without a reminder (raised before escalations existed) gets one. A failure here leaves it to the reminder.
    /// </summary>
    private async Task CatchUpOnEscalationAsync()
    {
        if (store.State.Card is not { AwaitsEscalation: true })
        {
            return;
        }

        try
        {
            var now = time.GetUtcNow();
            await ChangeAsync(() => ValueTask.FromResult(model.Escalate(now) || model.EnsureEscalationScheduled()));
        }
        catch (Exception e)
        {
            LogEscalationCatchUpFailed(e);
        }
    }

    Task<ContactSnapshot> IContactGrain.Get()
    {
        if (!store.State.Exists)
        {
            throw new ContactNotFoundException(contactId);
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
            throw new ContactNotFoundException(contactId);
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

        if (after is { EscalatedAt: { } escalatedAt } && (before?.CardId != after.CardId || before.EscalatedAt is null))
        {
            LogCardEscalated(tenantId, contactId, after.CardId, escalatedAt - after.CreatedAt);
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
            model = new ContactModel(store.State, tenantId, contactId, engine);
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
        ScheduleEscalation s => RegisterEscalationReminderAsync(s.DueAt),
        CancelEscalation => UnregisterEscalationReminderAsync(),
        _ => throw new InvalidOperationException($"Unknown effect {effect.GetType().Name}."),
    };

    /// <summary>
    /// Registers the escalation reminder, or moves it, to fire at <paramref name="dueAt"/> (by this grain's clock; at
    /// once when that has passed), then every minimum reminder period until it is removed: a tick the grain could not
    /// act on is tried again. Idempotent: registering again replaces the reminder.
    /// </summary>
    private Task RegisterEscalationReminderAsync(DateTimeOffset dueAt)
    {
        var due = dueAt - time.GetUtcNow();
        var minimum = reminderOptions.Value.MinimumReminderPeriod;
        return this.RegisterOrUpdateReminder(
            EscalationReminder,
            due > TimeSpan.Zero ? due : TimeSpan.Zero,
            minimum > TimeSpan.Zero ? minimum : TimeSpan.FromMinutes(1));
    }

    /// <summary>Removes the escalation reminder if there is one. Idempotent.</summary>
    private async Task UnregisterEscalationReminderAsync()
    {
        if (await this.GetReminder(EscalationReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Handoff card {CardId} raised for contact {ContactId} of tenant {TenantId}: {Reasons} at score {Score}.")]
    private partial void LogCardRaised(string tenantId, string contactId, string cardId, string reasons, int score);

    [LoggerMessage(Level = LogLevel.Information, Message = "Handoff card {CardId} of contact {ContactId} of tenant {TenantId} resolved ({Resolution}) by {ActorUserId}.")]
    private partial void LogCardResolved(string tenantId, string contactId, string cardId, string resolution, string actorUserId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Handoff card {CardId} of contact {ContactId} of tenant {TenantId} escalated to the team inbox after {Waited}.")]
    private partial void LogCardEscalated(string tenantId, string contactId, string cardId, TimeSpan waited);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Checking the card's escalation on activation failed; the escalation reminder will try again.")]
    private partial void LogEscalationCatchUpFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivering {Count} pending effects failed; retrying in {Delay}.")]
    private partial void LogEffectDeliveryFailed(Exception exception, int count, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reloading contact state after a failed write failed; deactivating.")]
    private partial void LogReloadFailed(Exception exception);
}
