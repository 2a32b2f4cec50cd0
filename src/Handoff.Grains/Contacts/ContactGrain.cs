using Handoff.Domain.Model;
using Handoff.Domain.Summary;
using Handoff.Grains.Journal;
using Handoff.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Orleans.Storage;

namespace Handoff.Grains.Contacts;

/// <summary>
/// The contact's activation: loads it, replays the journal since its checkpoint, and routes each call to its
/// collaborators. <see cref="ContactIngest"/> and <see cref="ContactActions"/> change the <see cref="ContactModel"/>;
/// <see cref="ContactChanges"/> lands each change (journaled events in memory, a person's change stored before the call
/// returns); <see cref="ContactCheckpoints"/> writes the state; <see cref="EffectDelivery"/> delivers what a change owes
/// other grains. A card left ACTIVE past its SLA is escalated when the tenant's index, which keeps the tenant's
/// escalation times, asks (<see cref="IContactGrain.EscalateIfDue"/>).
/// </summary>
public sealed partial class ContactGrain(
    [PersistentState("contact", StorageNames.Handoff)] IPersistentState<ContactState> store,
    [FromKeyedServices(StorageNames.Handoff)] IGrainStorage storage,
    HandoffEngine engine,
    IEventJournal journal,
    CheckpointThrottle checkpointThrottle,
    TimeProvider time,
    CardMetrics cardMetrics,
    ILogger<ContactGrain> logger) : Grain, IContactGrain, IRemindable
{
    /// <summary>The state name of the contact's sealed segments of seen event ids, records of their own beside its state.</summary>
    public const string SeenSegmentStateName = "contact-seen";

    private ContactModel model = null!;
    private ContactIngest ingest = null!;
    private ContactActions actions = null!;
    private string tenantId = "";
    private string contactId = "";
    private ContactCheckpoints checkpoints = null!;
    private EffectDelivery effects = null!;
    private CardSummaryReplacement summaries = null!;
    private ContactChanges changes = null!;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (storage is not IStateTakenAtWrite)
        {
            throw new InvalidOperationException(
                $"The '{StorageNames.Handoff}' grain storage must take a state when its write is called ({nameof(IStateTakenAtWrite)}): a contact writes its state while it goes on changing it.");
        }

        (tenantId, contactId) = GrainKeys.Parse(this.GetPrimaryKeyString());
        model = new ContactModel(store.State, tenantId, contactId, engine);
        ingest = new ContactIngest(model, contactId, engine);
        actions = new ContactActions(model, contactId, engine);
        summaries = new CardSummaryReplacement(model);
        var seenSegments = new SeenSegments(new StateParts<SeenSegment>(storage, SeenSegmentStateName, this.GetGrainId()), model, engine.Contacts);
        checkpoints = new ContactCheckpoints(this, store, model, seenSegments, checkpointThrottle, time, engine.Contacts, logger);
        effects = new EffectDelivery(this, GrainFactory, tenantId, model, checkpoints, engine.Contacts, logger);
        var report = new CardTransitionReport(cardMetrics, tenantId, contactId, logger);
        changes = new ContactChanges(model, ingest, seenSegments, checkpoints, effects, report, time);
        // A previous activation may have stored a change but not finished telling the inboxes.
        await effects.DeliverAsync();

        await ReplayJournalAsync(cancellationToken);
        await CatchUpOnEscalationAsync();
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) =>
        checkpoints.CheckpointOnDeactivationAsync();

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
            await changes.ApplyJournaledAsync(events);
        }
    }

    /// <summary>
    /// Earlier versions kept each card's escalation in a reminder of its contact; the tenant's index keeps it now. Such a
    /// reminder, when it fires, goes, and the index gets the active card's entry with its escalation time.
    /// </summary>
    async Task IRemindable.ReceiveReminder(string reminderName, TickStatus status)
    {
        if (await this.GetReminder(reminderName) is { } earlier)
        {
            await this.UnregisterReminder(earlier);
        }

        await changes.RunAsync(model.IndexActiveCard);
    }

    async Task<DateTimeOffset?> IContactGrain.EscalateIfDue(string cardId)
    {
        if (model.CardAwaitingEscalation is not { } card || card.CardId != cardId)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var due = model.EscalationDueAt(card);
        if (now < due)
        {
            return due;
        }

        await changes.RunAsync(() => actions.Escalate(now));
        return null;
    }

    /// <summary>
    /// Belt and braces for the index: on activation, a card found past its SLA escalates at once. A failure here leaves
    /// it to the index.
    /// </summary>
    private async Task CatchUpOnEscalationAsync()
    {
        if (model.CardAwaitingEscalation is null)
        {
            return;
        }

        try
        {
            var now = time.GetUtcNow();
            await changes.RunAsync(() => actions.Escalate(now));
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
        await changes.RunAsync(async () =>
        {
            await ingest.UpsertAsync(update, now, CancellationToken.None);
            return true;
        });
        return model.Snapshot(now);
    }

    Task IContactGrain.ApplyJournaled(IReadOnlyList<EngagementEvent> events) => changes.ApplyJournaledAsync(events);

    async Task<bool> IContactGrain.ReplaceSummary(string cardId, int cardVersion, string summary, SummaryWriterKind writer, DateTimeOffset writtenAt)
    {
        var replaced = false;
        await changes.RunAsync(() => replaced = summaries.Replace(cardId, cardVersion, summary, writer, writtenAt, time.GetUtcNow()));
        return replaced;
    }

    Task<ContactSnapshot> IContactGrain.SetAutoEngage(bool enabled, string cardId, string actorUserId) =>
        ActAsync(now => actions.SetAutoEngage(enabled, cardId, actorUserId, now));

    Task<ContactSnapshot> IContactGrain.AssignOwner(string ownerUserId, string cardId, string actorUserId) =>
        ActAsync(now => actions.AssignOwner(ownerUserId, cardId, actorUserId, now));

    Task<ContactSnapshot> IContactGrain.ResumeAutomation(string cardId, string actorUserId) =>
        ActAsync(now => actions.ResumeAutomation(cardId, actorUserId, now));

    Task<ContactSnapshot> IContactGrain.PauseAllOutreach(string cardId, string actorUserId, string reason) =>
        ActAsync(now => actions.PauseAllOutreach(cardId, actorUserId, reason, now));

    Task<ContactSnapshot> IContactGrain.ResumeOutreach(string cardId, string actorUserId) =>
        ActAsync(now => actions.ResumeOutreach(cardId, actorUserId, now));

    Task<HistoryPage> IContactGrain.GetHistory(long afterSequence, int pageSize)
    {
        EnsureExists();
        return Task.FromResult(model.HistoryAfter(afterSequence, pageSize));
    }

    async Task<OutreachMessageState> IContactGrain.QueueMessage(NewOutreachMessage message)
    {
        EnsureExists();
        OutreachMessageState? queued = null;
        await changes.RunAsync(() =>
        {
            (queued, var changed) = model.QueueMessage(message, time.GetUtcNow());
            return changed;
        });
        return queued!;
    }

    Task<OutboxPage> IContactGrain.ListMessages(int offset, int pageSize)
    {
        EnsureExists();
        return Task.FromResult(model.Messages(offset, pageSize));
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
        await changes.RunAsync(() =>
        {
            claimed = model.ClaimDue(max, time.GetUtcNow());
            return claimed.Count > 0;
        });
        return claimed;
    }

    private async Task<ContactSnapshot> ActAsync(Func<DateTimeOffset, bool> action)
    {
        EnsureExists();
        var now = time.GetUtcNow();
        await changes.RunAsync(() => action(now));
        return model.Snapshot(now);
    }

    private void EnsureExists()
    {
        if (!State.Exists)
        {
            throw new ContactNotFoundException(contactId);
        }
    }

    /// <summary>The contact as this activation holds it (ahead of the stored copy between checkpoints).</summary>
    private ContactState State => model.State;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Checking the card's escalation on activation failed; the tenant's handoff index will ask again at its time.")]
    private partial void LogEscalationCatchUpFailed(Exception exception);
}
