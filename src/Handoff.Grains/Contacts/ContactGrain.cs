using Orleans.Runtime;
using Orleans.Serialization;
using Handoff.Domain.Model;
using Handoff.Grains.Journal;
using Handoff.Grains.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReminderOptions = Orleans.Hosting.ReminderOptions;

namespace Handoff.Grains.Contacts;

/// <summary>
/// Loads the contact, applies each change through <see cref="ContactModel"/> and delivers the effects the change queued.
/// Ingested events are durable in the event journal before they reach the grain, so applying them only changes memory;
/// the state is checkpointed after <see cref="ContactOptions.CheckpointInterval"/> and on deactivation, and an
/// activation replays the journal since its checkpoint. Everything a person sees or did — card transitions, actions,
/// profile changes — is stored before the call returns. A failed write abandons the activation: its memory is ahead
/// of storage, and the next activation rebuilds it from the stored state and the journal.
/// A card left ACTIVE past its SLA is escalated by a durable reminder (<see cref="EscalationReminder"/>), registered
/// and removed as effects of the changes that raise, act on, resolve or escalate the card.
/// </summary>
public sealed partial class ContactGrain(
    [PersistentState("contact", StorageNames.Handoff)] IPersistentState<ContactState> store,
    HandoffEngine engine,
    IEventJournal journal,
    CheckpointThrottle checkpoints,
    DeepCopier<ContactState> copier,
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
    private IGrainTimer? checkpoint;

    /// <summary>Counts the changes applied in memory; <see cref="savedVersion"/> is the count the last write held.</summary>
    private long version;
    private long savedVersion;

    /// <summary>The effect delivery under way, if any (in the background of an ingest call, or awaited by an action).</summary>
    private Task? deliveryLoop;

    private CoalescedWrites writes = null!;

    /// <summary>A write failed: memory may hold what storage does not, so nothing more is written from it.</summary>
    private bool abandoned;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (tenantId, contactId) = GrainKeys.Parse(this.GetPrimaryKeyString());
        writes = new CoalescedWrites(WriteStateAsync);
        model = new ContactModel(store.State, tenantId, contactId, engine);
        model.ForgetExpiredEventIds(time.GetUtcNow());
        nextRetryDelay = engine.Contacts.EffectRetryDelay;
        // A previous activation may have stored a change but not finished telling the inboxes.
        await DeliverEffectsAsync();

        await ReplayJournalAsync(cancellationToken);
        await CatchUpOnEscalationAsync();
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        try
        {
            // Without a place the state is left as last written: the next activation replays the journal since then.
            await TryCheckpointAsync();
        }
        catch (Exception e)
        {
            // Nothing is lost: the next activation replays the journal since the last checkpoint.
            LogCheckpointFailed(e);
        }
    }

    /// <summary>
    /// Applies what the journal holds for this contact since the stored state's checkpoint, less a margin for
    /// batches journaled before it but applied after (in flight at most for the margin). Events already in the state
    /// are skipped by id; the others are applied as of their append times, as the live path applied them.
    /// </summary>
    private async Task ReplayJournalAsync(CancellationToken cancellationToken)
    {
        var since = State.CheckpointedAt is { } at ? at - engine.Contacts.JournalReplayMargin : DateTimeOffset.MinValue;
        var events = await journal.ReadContactAsync(tenantId, contactId, since, cancellationToken);
        if (events.Count > 0)
        {
            await ApplyAsync(events, deliverBeforeReturning: false);
        }
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
        if (State.Card is { AwaitsEscalation: true } card && now < model.EscalationDueAt(card))
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
        if (State.Card is not { AwaitsEscalation: true })
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

    Task IContactGrain.Wake() => Task.CompletedTask;

    Task<ContactSnapshot> IContactGrain.Get()
    {
        if (!State.Exists)
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
        var entries = new JournalEntry[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            entries[i] = new JournalEntry(contactId, events[i]);
        }

        var appendedAt = JournalClock.Now(time);
        var journaled = await journal.AppendAsync(tenantId, entries, appendedAt);
        var accepted = 0;
        var mine = new List<StoredEvent>(events.Count);
        for (var i = 0; i < events.Count; i++)
        {
            accepted += journaled[i] is null ? 1 : 0;
            if (JournalAnswers.IsTheContacts(journaled[i], contactId))
            {
                mine.Add(JournalAnswers.AsJournaled(journaled[i], events[i], appendedAt));
            }
        }

        await ApplyAsync(mine, deliverBeforeReturning: true);
        return new IngestOutcome(accepted, events.Count - accepted);
    }

    Task IContactGrain.ApplyJournaled(IReadOnlyList<StoredEvent> events) => ApplyAsync(events, deliverBeforeReturning: false);

    /// <summary>
    /// Applies journaled events in memory, as of their append times, not this grain's clock: a replay after a crash
    /// then derives the same contact, audit times included. A card transition is stored at once (its effects go out
    /// only once stored); anything else waits for the next checkpoint, since the journal can replay it. The ingest
    /// pipeline does not wait for the effects (<paramref name="deliverBeforeReturning"/> false): they are durable with
    /// the state, and a batch must not wait for a tenant's busy inbox.
    /// </summary>
    private async Task ApplyAsync(IReadOnlyList<StoredEvent> events, bool deliverBeforeReturning)
    {
        var cardBefore = State.Card;
        IngestOutcome outcome;
        try
        {
            outcome = await model.IngestAsync(events, time.GetUtcNow(), CancellationToken.None);
        }
        catch
        {
            Abandon();
            throw;
        }

        if (outcome.Accepted == 0)
        {
            return;
        }

        version++;
        if (!ReferenceEquals(cardBefore, State.Card) || State.PendingEffects.Count > 0)
        {
            await StoreAsync();
            ReportCardTransition(cardBefore, State.Card);
            var delivery = DeliverEffectsAsync();
            if (deliverBeforeReturning)
            {
                await delivery;
            }
        }
        else
        {
            ScheduleCheckpoint();
        }
    }

    private void ScheduleCheckpoint() => ScheduleCheckpoint(engine.Contacts.CheckpointInterval);

    private void ScheduleCheckpoint(TimeSpan after) =>
        checkpoint ??= this.RegisterGrainTimer(CheckpointAsync, new GrainTimerCreationOptions(after, Timeout.InfiniteTimeSpan) { KeepAlive = false });

    private async Task CheckpointAsync(CancellationToken cancellationToken)
    {
        checkpoint?.Dispose();
        checkpoint = null;
        try
        {
            if (!await TryCheckpointAsync())
            {
                ScheduleCheckpoint(engine.Contacts.CheckpointBusyDelay);
            }
        }
        catch (Exception e)
        {
            LogCheckpointFailed(e);
            Abandon();
        }
    }

    /// <summary>
    /// Writes the state if it holds changes not written yet, in one of the silo's checkpoint places. False, writing
    /// nothing, when every place is taken.
    /// </summary>
    private async Task<bool> TryCheckpointAsync()
    {
        if (!Unsaved || abandoned)
        {
            return true;
        }

        using var place = checkpoints.TryEnter();
        if (place is null)
        {
            return false;
        }

        await writes.WriteAsync();
        return true;
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
        var entries = State.History.Where(h => h.Sequence > afterSequence).Take(pageSize + 1).ToList();
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
            var countBefore = State.Outbox.Count;
            queued = model.QueueMessage(message, time.GetUtcNow());
            return ValueTask.FromResult(State.Outbox.Count != countBefore);
        });
        return queued!;
    }

    Task<OutboxPage> IContactGrain.ListMessages(int offset, int pageSize)
    {
        EnsureExists();
        var page = State.Outbox.Skip(offset).Take(pageSize).ToList();
        var next = offset + page.Count < State.Outbox.Count ? offset + page.Count : 0;
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
        if (!State.Exists)
        {
            throw new ContactNotFoundException(contactId);
        }
    }

    /// <summary>
    /// Runs one change and stores it when it changed anything. Any failure after the state was touched abandons the
    /// activation; the rule violations below are thrown before anything is touched.
    /// </summary>
    private async Task ChangeAsync(Func<ValueTask<bool>> change)
    {
        var cardBefore = State.Card;
        bool changed;
        try
        {
            changed = await change();
        }
        catch (Exception e) when (e is not (StaleCardException or ContactNotFoundException or OutboxFullException))
        {
            Abandon();
            throw;
        }

        if (changed)
        {
            await CommitAsync();
            ReportCardTransition(cardBefore, State.Card);
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

    /// <summary>
    /// Stores the change, then delivers what it owes other grains before returning (a person's action shows in the
    /// inbox when the call returns). Delivery failures are retried later, never surfaced: the change is already durable.
    /// </summary>
    private async Task CommitAsync()
    {
        version++;
        await StoreAsync();
        if (State.PendingEffects.Count > 0)
        {
            await DeliverEffectsAsync();
        }
    }

    private async Task StoreAsync()
    {
        try
        {
            await writes.WriteAsync();
        }
        catch
        {
            Abandon();
            throw;
        }
    }

    private bool Unsaved => version != savedVersion;

    /// <summary>The contact as this activation holds it (ahead of the stored copy between checkpoints).</summary>
    private ContactState State => model.State;

    /// <summary>
    /// Writes the whole state, marking it as a checkpoint of everything journaled until now. Only through
    /// <see cref="writes"/>: effect delivery runs beside requests, and two writes at once would conflict.
    /// </summary>
    private async Task WriteStateAsync()
    {
        var now = time.GetUtcNow();
        var writing = version;
        model.ForgetExpiredEventIds(now);
        State.CheckpointedAt = now;
        // The provider serializes the state off the grain's thread, while effect delivery and the next calls go on
        // changing it: it writes a copy taken here, in one piece.
        store.State = copier.Copy(State);
        await store.WriteStateAsync();
        savedVersion = writing;
    }

    /// <summary>
    /// Memory may now differ from storage: nothing more is written from it, and the activation goes once this call
    /// ends, so that the next one starts from the stored state and the journal.
    /// </summary>
    private void Abandon()
    {
        abandoned = true;
        checkpoint?.Dispose();
        checkpoint = null;
        DeactivateOnIdle();
    }

    /// <summary>
    /// Delivers the pending effects in order, including any queued while it runs; that they are gone is stored with
    /// the next checkpoint.
    /// Runs beside the grain's requests (started, not awaited, by ingest), so it touches the state only to remove what
    /// it delivered, and writes only through <see cref="writes"/>. One delivery loop at a time: a caller arriving while
    /// one runs gets that loop, which goes on until nothing is pending, its caller's effects included.
    /// </summary>
    private Task DeliverEffectsAsync()
    {
        if (abandoned)
        {
            return Task.CompletedTask;
        }

        if (deliveryLoop is { IsCompleted: false } running)
        {
            return running;
        }

        var loop = DeliverUntilNonePendingAsync();
        deliveryLoop = loop.IsCompleted ? null : loop;
        return loop;
    }

    private async Task DeliverUntilNonePendingAsync()
    {
        try
        {
            while (State.PendingEffects.Count > 0)
            {
                var effect = State.PendingEffects[0];
                await DeliverAsync(effect);
                State.PendingEffects.Remove(effect);
                // Stored with the next checkpoint, not at once: after a crash an effect delivered again changes
                // nothing at its receiver, and a write per card transition saved is one fsync less on the hot path.
                version++;
                ScheduleCheckpoint();
            }

            nextRetryDelay = engine.Contacts.EffectRetryDelay;
            effectRetry?.Dispose();
            effectRetry = null;
        }
        catch (Exception e)
        {
            LogEffectDeliveryFailed(e, State.PendingEffects.Count, nextRetryDelay);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Checkpointing the contact failed; its events stay in the journal and are replayed when it next activates.")]
    private partial void LogCheckpointFailed(Exception exception);
}
