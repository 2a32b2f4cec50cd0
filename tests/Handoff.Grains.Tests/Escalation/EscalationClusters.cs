using Handoff.Grains.Contacts;
using Handoff.Grains.Notifications;
using Handoff.Grains.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Handoff.Grains.Tests.Escalation;

/// <summary>
/// One silo per store (a SQLite file, a PostgreSQL database), started on first use and shared by the tests of a class,
/// which run one after another: a test may move its silo's clock, and every test works in a tenant of its own.
/// </summary>
public sealed class EscalationClusters : IAsyncLifetime
{
    private readonly Dictionary<StoreKind, (TestStore Store, HandoffTestCluster Cluster)> started = [];
    private readonly SemaphoreSlim gate = new(1, 1);

    public async Task<HandoffTestCluster> GetAsync(StoreKind kind)
    {
        await gate.WaitAsync();
        try
        {
            if (!started.TryGetValue(kind, out var running))
            {
                var store = await TestStore.CreateAsync(kind);
                running = (store, await HandoffTestCluster.StartAsync(store));
                started[kind] = running;
            }

            return running.Cluster;
        }
        finally
        {
            gate.Release();
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var (store, cluster) in started.Values)
        {
            await cluster.DisposeAsync();
            await store.DisposeAsync();
        }
    }
}

/// <summary>What the escalation tests ask of a silo: its team inbox, the contact's stored reminder, a tick by hand.</summary>
public static class EscalationProbes
{
    public static INotificationInboxGrain TeamInbox(this HandoffTestCluster cluster, string tenantId) =>
        cluster.Grains.Inbox(tenantId, InboxAddress.Team);

    /// <summary>The contact's escalation reminder as stored in the reminder table; null when there is none.</summary>
    public static Task<ReminderEntry?> EscalationReminderOf(this HandoffTestCluster cluster, IContactGrain contact) =>
        cluster.SiloServices.GetRequiredService<IReminderTable>().ReadRow(contact.GetGrainId(), ContactGrain.EscalationReminder)!;

    /// <summary>Delivers an escalation tick to the contact the way the reminder service does (a late or early one).</summary>
    public static Task TickAsync(this IContactGrain contact) =>
        contact.AsReference<IRemindable>().ReceiveReminder(ContactGrain.EscalationReminder, default);

    /// <summary>
    /// The one escalation of <paramref name="contactId"/> in the team inbox, waiting for it while the clock moves on a
    /// minute at a time (the reminder service loads a reminder shortly before it is due and fires it on the clock).
    /// Fails when there are two.
    /// </summary>
    public static Task<NotificationRecord> EscalationAsync(this HandoffTestCluster cluster, string tenantId, string contactId) =>
        Wait.ForAsync(
            async () => (await cluster.TeamInbox(tenantId).NotificationsAbout(contactId)).SingleOrDefault(),
            $"the escalation of {contactId} in the team inbox",
            eachRound: () => cluster.Clock.Advance(TimeSpan.FromMinutes(1)));
}
