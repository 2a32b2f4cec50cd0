using Handoff.Grains.Contacts;
using Microsoft.Extensions.Logging;

namespace Handoff.Grains.Handoffs;

/// <summary>
/// The tenant's escalations, kept by its handoff index: the escalation time of every card that awaits one, a timer for
/// the earliest while the index is active, and one durable reminder, held while any card awaits escalation, that
/// brings the index back after a deactivation or a crash. When a time comes the contact is asked and decides by its own
/// clock (<see cref="IContactGrain.EscalateIfDue"/>). The index owns the entries: this reads them and stores a changed
/// one through the index.
/// </summary>
internal sealed partial class TenantEscalations(
    IGrainBase index,
    IGrainFactory grains,
    string tenantId,
    TimeProvider time,
    HandoffIndexOptions options,
    TimeSpan minimumReminderPeriod,
    Func<string, ActiveHandoffEntry?> entryOf,
    Func<ActiveHandoffEntry, Task> storeAsync,
    ILogger logger)
{
    public const string ReminderName = "escalations";

    /// <summary>The reminder's period when Orleans' minimum reminder period is not set.</summary>
    private static readonly TimeSpan FallbackReminderPeriod = TimeSpan.FromMinutes(1);

    private readonly EscalationSchedule schedule = new();
    private readonly SemaphoreSlim reminderChange = new(1, 1);
    private IGrainTimer? timer;
    private DateTimeOffset? timerAt;
    private bool reminderRegistered;

    /// <summary>Once the index has read its entries (each scheduled through <see cref="Schedule"/>).</summary>
    public async Task StartAsync()
    {
        reminderRegistered = await index.GetReminder(ReminderName) is not null;
        await KeepReminderAsync(dropWhenIdle: false);
        Rearm();
    }

    /// <summary>Holds the contact's escalation time (none when null); <see cref="Rearm"/> then moves the timer.</summary>
    public void Schedule(string contactId, DateTimeOffset? at) => schedule.Set(contactId, at);

    public void Unschedule(string contactId) => schedule.Remove(contactId);

    /// <summary>A timer for the earliest escalation time, replacing one for another time; none when nothing awaits.</summary>
    public void Rearm()
    {
        var earliest = schedule.Earliest;
        if (earliest == timerAt)
        {
            return;
        }

        timer?.Dispose();
        timer = null;
        timerAt = earliest;
        if (earliest is { } at)
        {
            var wait = at - time.GetUtcNow();
            timer = index.RegisterGrainTimer(_ => EscalateDueAsync(),
                new GrainTimerCreationOptions(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, Timeout.InfiniteTimeSpan) { KeepAlive = false });
        }
    }

    /// <summary>The reminder ticked: the times that have come, then the reminder goes if nothing is left to escalate.</summary>
    public async Task TickAsync()
    {
        await EscalateDueAsync();
        await KeepReminderAsync(dropWhenIdle: true);
    }

    /// <summary>
    /// The reminder held while any card awaits escalation: registered when one does, removed (only at a tick, so that
    /// a tenant between cards does not register it again and again) when none does. One change at a time.
    /// </summary>
    public async Task KeepReminderAsync(bool dropWhenIdle)
    {
        if (reminderRegistered != schedule.IsEmpty)
        {
            return;
        }

        await reminderChange.WaitAsync();
        try
        {
            if (!schedule.IsEmpty && !reminderRegistered)
            {
                var period = minimumReminderPeriod > TimeSpan.Zero ? minimumReminderPeriod : FallbackReminderPeriod;
                await index.RegisterOrUpdateReminder(ReminderName, period, period);
                reminderRegistered = true;
            }
            else if (schedule.IsEmpty && reminderRegistered && dropWhenIdle)
            {
                if (await index.GetReminder(ReminderName) is { } reminder)
                {
                    await index.UnregisterReminder(reminder);
                }

                reminderRegistered = false;
            }
        }
        finally
        {
            reminderChange.Release();
        }
    }

    /// <summary>Asks the contacts whose escalation time has come, a few at a time.</summary>
    private async Task EscalateDueAsync()
    {
        timer?.Dispose();
        timer = null;
        timerAt = null;
        var due = schedule.TakeDue(time.GetUtcNow());
        for (var first = 0; first < due.Count; first += options.EscalationConcurrency)
        {
            await Task.WhenAll(due.Skip(first).Take(options.EscalationConcurrency).Select(AskContactAsync));
        }

        Rearm();
    }

    private async Task AskContactAsync(string contactId)
    {
        if (entryOf(contactId) is not { EscalatesAt: not null } asked)
        {
            return;
        }

        DateTimeOffset? askAgainAt;
        try
        {
            askAgainAt = await grains.Contact(tenantId, contactId).EscalateIfDue(asked.CardId);
        }
        catch (Exception e)
        {
            LogEscalationFailed(e, contactId, options.EscalationRetryDelay);
            askAgainAt = time.GetUtcNow() + options.EscalationRetryDelay;
        }

        // Meanwhile the contact may have sent its entry anew (escalated, acted on, resolved, a new card): that one holds.
        if (entryOf(contactId) is not { EscalatesAt: not null } current || current.CardId != asked.CardId)
        {
            return;
        }

        if (askAgainAt is { } at)
        {
            schedule.Set(contactId, at);
            return;
        }

        await storeAsync(current with { EscalatesAt = null });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Asking contact {ContactId} to escalate its card failed; asking again in {Delay}.")]
    private partial void LogEscalationFailed(Exception exception, string contactId, TimeSpan delay);
}
