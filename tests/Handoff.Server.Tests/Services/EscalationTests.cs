using Handoff.Protos.V1;
using Handoff.Server.Tests.Support;

namespace Handoff.Server.Tests.Services;

/// <summary>
/// The escalation end to end, over gRPC on the real host: a card left ACTIVE past the SLA shows in the tenant's TEAM
/// inbox as an ESCALATION notification and in the contact's history; a card acted on in time does not. The host runs
/// with a 2-second SLA (an option) and the test waits for the outcome with a deadline.
/// </summary>
public sealed class EscalationTests
{
    private static readonly InboxRef Team = new() { Kind = InboxKind.Team };

    /// <summary>Longer than other waits: Orleans' reminder service delivers a due reminder on its own polling period.</summary>
    private static readonly TimeSpan EscalationPatience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_card_left_active_past_the_SLA_is_escalated_to_the_team_inbox()
    {
        await using var host = await ServerHost.StartAsync(
            settings: ["Handoff:Cards:EscalationSla=00:00:02", "Handoff:Server:Silo:Reminders:MinimumReminderPeriod=00:00:01"]);
        var tenant = new TestTenant(host);
        var waiting = await tenant.RaiseCardAsync("c-waiting", owner: "alice");
        var handled = await tenant.RaiseCardAsync("c-handled", owner: "alice");
        await host.Handoffs.ResumeAutomationAsync(new ResumeAutomationRequest
        {
            TenantId = tenant.Id, ContactId = handled.ContactId, CardId = handled.Card.CardId, ActorUserId = "alice",
        });

        var team = await WaitForAsync(async () =>
        {
            var page = await tenant.ListNotificationsAsync(Team);
            return page.Notifications.Count > 0 ? page : null;
        });

        var escalation = Assert.Single(team.Notifications);
        Assert.Equal((NotificationKind.Escalation, NotificationPriority.High), (escalation.Kind, escalation.Priority));
        Assert.Equal((waiting.ContactId, waiting.Card.CardId), (escalation.ContactId, escalation.CardId));
        Assert.Equal("Handoff waiting 2 s: Contact c-waiting", escalation.Title);
        Assert.Equal(waiting.Card.Summary, escalation.Summary);
        Assert.False(escalation.Resolved);

        var card = (await tenant.GetContactAsync(waiting.ContactId)).Card;
        Assert.Equal((CardStatus.Active, escalation.CreateTime), (card.Status, card.EscalateTime));
        Assert.Null((await tenant.GetContactAsync(handled.ContactId)).Card.EscalateTime);

        var history = await host.Contacts.GetContactHistoryAsync(new GetContactHistoryRequest { TenantId = tenant.Id, ContactId = waiting.ContactId });
        var entry = Assert.Single(history.Entries, e => e.Kind == HistoryEntryKind.Escalated);
        Assert.Equal(waiting.Card.CardId, entry.CardId);

        // The card resolved before its SLA never reaches the team inbox, and the other one is there once.
        var handledHistory = await host.Contacts.GetContactHistoryAsync(new GetContactHistoryRequest { TenantId = tenant.Id, ContactId = handled.ContactId });
        Assert.DoesNotContain(handledHistory.Entries, e => e.Kind == HistoryEntryKind.Escalated);
        Assert.Equal([waiting.ContactId], (await tenant.ListNotificationsAsync(Team)).Notifications.Select(n => n.ContactId));
    }

    private static Task<T> WaitForAsync<T>(Func<Task<T?>> probe) where T : class =>
        Wait.ForAsync(probe, "an escalation in the team inbox", EscalationPatience);
}
