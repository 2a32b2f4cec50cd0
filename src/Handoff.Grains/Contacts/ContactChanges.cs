using Handoff.Domain.Model;

namespace Handoff.Grains.Contacts;

/// <summary>
/// The two ways a change lands on the contact. Journaled events (<see cref="ApplyJournaledAsync"/>) are already durable
/// in the event journal, so they change memory only and the state is written later; a change a person or the index
/// asked for (<see cref="RunAsync"/>) is stored before the call returns. Either way, a failure after the state was
/// touched abandons the activation: its memory is ahead of storage, and the next activation rebuilds it from the stored
/// state and the journal.
/// </summary>
internal sealed class ContactChanges(
    ContactModel model,
    ContactIngest ingest,
    SeenSegments seenSegments,
    ContactCheckpoints checkpoints,
    EffectDelivery effects,
    CardTransitionReport report,
    TimeProvider time)
{
    /// <summary>
    /// Applies journaled events in memory, as of their append times, not this grain's clock: a replay after a crash
    /// then derives the same contact, audit times and card ids included. Nothing is written before returning: the
    /// journal holds what the batch changed. A card transition starts its write as the call returns, so that a crash can
    /// only lose it in that write's few milliseconds, and then the next activation (woken by crash recovery) derives the
    /// same card again and delivers its effects under the same delivery ids, which their receivers already hold. The
    /// ingest pipeline does not wait for the effects either (delivery never throws; it retries): a batch must not wait
    /// for a tenant's busy inbox.
    /// </summary>
    public async Task ApplyJournaledAsync(IReadOnlyList<EngagementEvent> events)
    {
        await seenSegments.EnsureLoadedForAsync(events);
        var cardBefore = model.State.Card;
        IngestOutcome outcome;
        try
        {
            outcome = await ingest.IngestAsync(events, time.GetUtcNow(), CancellationToken.None);
        }
        catch
        {
            checkpoints.Abandon();
            throw;
        }

        if (outcome.Accepted == 0)
        {
            return;
        }

        checkpoints.Changed();
        if (ReferenceEquals(cardBefore, model.State.Card))
        {
            checkpoints.Schedule();
        }
        else
        {
            checkpoints.StoreInBackground();
        }

        report.Report(cardBefore, model.State.Card);
        if (model.State.PendingEffects.Count > 0)
        {
            _ = effects.DeliverAsync();
        }
    }

    /// <summary>
    /// Runs one change and, when it changed anything, stores it and then delivers what it owes other grains before
    /// returning (a person's action shows in the inbox when the call returns). Delivery failures are retried later,
    /// never surfaced: the change is already durable. The rule violations below are thrown before anything is touched,
    /// so they leave the activation as it was.
    /// </summary>
    public async Task RunAsync(Func<ValueTask<bool>> change)
    {
        var cardBefore = model.State.Card;
        bool changed;
        try
        {
            changed = await change();
        }
        catch (Exception e) when (e is not (StaleCardException or ContactNotFoundException or OutboxFullException))
        {
            checkpoints.Abandon();
            throw;
        }

        if (!changed)
        {
            return;
        }

        checkpoints.Changed();
        await checkpoints.StoreAsync();
        if (model.State.PendingEffects.Count > 0)
        {
            await effects.DeliverAsync();
        }

        report.Report(cardBefore, model.State.Card);
    }

    /// <summary>Runs a change that cannot await anything.</summary>
    public Task RunAsync(Func<bool> change) => RunAsync(() => ValueTask.FromResult(change()));
}
