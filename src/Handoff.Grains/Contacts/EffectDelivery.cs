using Microsoft.Extensions.Logging;

namespace Handoff.Grains.Contacts;

/// <summary>
/// Delivers the effects a contact's changes queued (<see cref="ContactState.PendingEffects"/>) in order, including any
/// queued while it runs; that they are gone is stored with the next checkpoint. A failed delivery is tried again later,
/// after a delay that doubles up to <see cref="ContactOptions.MaxEffectRetryDelay"/>, never surfaced: the change that
/// queued the effect is already durable.
/// </summary>
internal sealed partial class EffectDelivery(
    IGrainBase grain,
    IGrainFactory grains,
    string tenantId,
    ContactModel model,
    ContactCheckpoints checkpoints,
    ContactOptions options,
    ILogger logger)
{
    private IGrainTimer? retry;
    private TimeSpan nextRetryDelay = options.EffectRetryDelay;

    /// <summary>The delivery under way, if any (in the background of an ingest call, or awaited by an action).</summary>
    private Task? loop;

    /// <summary>
    /// Runs beside the grain's requests (started, not awaited, by ingest), so it touches the state only to remove what
    /// it delivered, and writes only through <see cref="checkpoints"/>. One delivery loop at a time: a caller arriving
    /// while one runs gets that loop, which goes on until nothing is pending, its caller's effects included.
    /// </summary>
    public Task DeliverAsync()
    {
        if (checkpoints.Abandoned)
        {
            return Task.CompletedTask;
        }

        if (loop is { IsCompleted: false } running)
        {
            return running;
        }

        var started = DeliverUntilNonePendingAsync();
        loop = started.IsCompleted ? null : started;
        return started;
    }

    private async Task DeliverUntilNonePendingAsync()
    {
        try
        {
            while (model.State.PendingEffects.Count > 0)
            {
                var effect = model.State.PendingEffects[0];
                await DeliverAsync(effect);
                model.State.PendingEffects.Remove(effect);
                // Stored with the next checkpoint, not at once: after a crash an effect delivered again changes
                // nothing at its receiver, and a write per delivered effect saved is one fsync less on the hot path.
                checkpoints.Changed();
                checkpoints.Schedule();
            }

            nextRetryDelay = options.EffectRetryDelay;
            retry?.Dispose();
            retry = null;
        }
        catch (Exception e)
        {
            LogEffectDeliveryFailed(e, model.State.PendingEffects.Count, nextRetryDelay);
            ScheduleRetry();
        }
    }

    private void ScheduleRetry()
    {
        retry?.Dispose();
        retry = grain.RegisterGrainTimer(_ => DeliverAsync(), new GrainTimerCreationOptions(nextRetryDelay, Timeout.InfiniteTimeSpan));
        var doubled = nextRetryDelay * 2;
        nextRetryDelay = doubled < options.MaxEffectRetryDelay ? doubled : options.MaxEffectRetryDelay;
    }

    private Task DeliverAsync(PendingEffect effect) => effect switch
    {
        DeliverNotification d => (Task)grains.Inbox(tenantId, d.Inbox).Deliver(d.Notice),
        ResolveNotification r => grains.Inbox(tenantId, r.Inbox).Resolve(r.CardId, r.Resolution, r.At),
        IndexActiveHandoff i => grains.HandoffIndex(tenantId).Upsert(i.Entry),
        UnindexHandoff u => grains.HandoffIndex(tenantId).Remove(u.ContactId, u.CardId),
        ScheduleEscalation or CancelEscalation => IndexActiveCardAsync(),
        _ => throw new InvalidOperationException($"Unknown effect {effect.GetType().Name}."),
    };

    /// <summary>An effect of an earlier version's escalation reminder: the tenant's index gets the active card's entry instead.</summary>
    private Task IndexActiveCardAsync() =>
        model.ActiveCard is { } card ? grains.HandoffIndex(tenantId).Upsert(model.Notices.IndexEntry(model.State, card)) : Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivering {Count} pending effects failed; retrying in {Delay}.")]
    private partial void LogEffectDeliveryFailed(Exception exception, int count, TimeSpan delay);
}
