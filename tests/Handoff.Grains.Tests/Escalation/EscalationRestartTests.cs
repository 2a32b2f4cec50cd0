using Handoff.Grains.Contacts;
using Handoff.Grains.Notifications;
using Handoff.Grains.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Handoff.Grains.Tests.Escalation;

/// <summary>
/// The escalation outlives the silo that registered it: the tenant's reminder is in the store (SQLite or PostgreSQL), so
/// a silo started after the SLA has passed finds it, wakes the tenant's index, and the index asks the contact, which
/// nothing else touches. Runs its own clusters,
/// so that it can stop them. Also: the SLA is an option, read where the host reads it.
/// </summary>
public sealed class EscalationRestartTests
{
    private static readonly Dictionary<string, string> NinetyMinutes = new() { ["Handoff:Cards:EscalationSla"] = "01:30:00" };

    [Theory]
    [InlineData(StoreKind.Sqlite)]
    [InlineData(StoreKind.PostgreSql)]
    public async Task A_silo_started_after_the_SLA_passed_while_none_ran_escalates_the_card(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        var cluster = await HandoffTestCluster.StartAsync(store, settings: NinetyMinutes);
        try
        {
            var tenant = Scenarios.NewTenantId();
            var handoff = await Scenarios.RaiseHandoffAsync(cluster, cluster.Clock.GetUtcNow(), tenant, Scenarios.NewUserId("owner"));
            Assert.Equal(handoff.Card.CreatedAt + TimeSpan.FromMinutes(90), await cluster.EscalationTimeOf(tenant, handoff.ContactId));
            await Wait.UntilAsync(async () => await cluster.EscalationReminderOf(tenant) is not null, "the tenant's escalation reminder");

            await cluster.StopAsync();
            cluster.Clock.Advance(TimeSpan.FromHours(2));
            cluster = await cluster.StartAgainAsync();

            // Only the inbox is asked: neither the index nor the contact is activated by the test, so the tenant's stored
            // reminder must wake them.
            var escalation = await cluster.EscalationAsync(tenant, handoff.ContactId);

            Assert.Equal((NotificationKind.Escalation, handoff.Card.CardId), (escalation.Notice.Kind, escalation.Notice.CardId));
            Assert.Equal("Handoff waiting 90 min: Brandon Lee", escalation.Notice.Title);
            var contact = cluster.Grains.Contact(tenant, handoff.ContactId);
            Assert.True((await contact.Get()).Card!.EscalatedAt >= handoff.Card.CreatedAt + TimeSpan.FromHours(2));
            Assert.Single(await contact.AllHistory(), h => h.Kind == HistoryKind.Escalated);
            // The clock moves on while waiting: a call in flight when the test moved it a minute timed out on it, and the
            // contact delivers what it owes again after a delay on the same clock.
            await Wait.UntilAsync(async () => await cluster.EscalationTimeOf(tenant, handoff.ContactId) is null, "the escalation time's removal",
                eachRound: () => cluster.Clock.Advance(TimeSpan.FromMinutes(1)));
        }
        finally
        {
            await cluster.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_contact_activated_past_the_SLA_escalates_at_once_even_without_the_tenants_reminder()
    {
        await using var store = await TestStore.CreateAsync(StoreKind.Sqlite);
        var cluster = await HandoffTestCluster.StartAsync(store);
        try
        {
            var tenant = Scenarios.NewTenantId();
            var handoff = await Scenarios.RaiseHandoffAsync(cluster, cluster.Clock.GetUtcNow(), tenant, Scenarios.NewUserId("owner"));
            // The tenant's reminder is lost (say, removed by hand); the stored card is what remains.
            var table = cluster.SiloServices.GetRequiredService<IReminderTable>();
            var reminder = await Wait.ForAsync(() => cluster.EscalationReminderOf(tenant), "the tenant's escalation reminder");
            Assert.True(await table.RemoveRow(reminder.GrainId, reminder.ReminderName, reminder.ETag!));

            await cluster.StopAsync();
            cluster.Clock.Advance(TimeSpan.FromHours(5));
            cluster = await cluster.StartAgainAsync();

            // The first call activates the contact, which escalates the overdue card before it answers.
            var card = (await cluster.Grains.Contact(tenant, handoff.ContactId).Get()).Card!;
            Assert.Equal(cluster.Clock.GetUtcNow(), card.EscalatedAt);
            var escalation = Assert.Single(await cluster.TeamInbox(tenant).NotificationsAbout(handoff.ContactId));
            Assert.Equal("Handoff waiting 4 h: Brandon Lee", escalation.Notice.Title);
        }
        finally
        {
            await cluster.DisposeAsync();
        }
    }
}
