using Microsoft.Extensions.Options;
using ReminderOptions = Orleans.Hosting.ReminderOptions;

namespace Handoff.Grains.Contacts;

/// <summary>
/// The contact's one durable reminder: it fires when the active card's SLA has passed. Registered and removed as
/// effects of the changes that raise, act on, resolve or escalate the card; the decision to escalate is the grain's.
/// </summary>
internal sealed class CardEscalationReminder(IGrainBase grain, TimeProvider time, IOptions<ReminderOptions> reminderOptions)
{
    /// <summary>The reminder's name.</summary>
    public const string Name = "escalation";

    /// <summary>The period when Orleans' minimum reminder period is not set.</summary>
    private static readonly TimeSpan FallbackPeriod = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Registers the reminder, or moves it, to fire at <paramref name="dueAt"/> (by this grain's clock; at once when that
    /// has passed), then every minimum reminder period until it is removed: a tick the grain could not act on is tried
    /// again. Idempotent: registering again replaces the reminder.
    /// </summary>
    public Task RegisterAsync(DateTimeOffset dueAt)
    {
        var due = dueAt - time.GetUtcNow();
        var minimum = reminderOptions.Value.MinimumReminderPeriod;
        return grain.RegisterOrUpdateReminder(
            Name,
            due > TimeSpan.Zero ? due : TimeSpan.Zero,
            minimum > TimeSpan.Zero ? minimum : FallbackPeriod);
    }

    /// <summary>Removes the reminder if there is one. Idempotent.</summary>
    public async Task UnregisterAsync()
    {
        if (await grain.GetReminder(Name) is { } reminder)
        {
            await grain.UnregisterReminder(reminder);
        }
    }
}
