using Handoff.Grains.Contacts;
using Handoff.Grains.Handoffs;
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

/// <summary>What the escalation tests ask of a silo: its team inbox, the escalation times the tenant's index holds, its reminder.</summary>
public static class EscalationProbes
{
    /// <summary>Enough for every handoff a test tenant holds.</summary>
    private const int IndexPageSize = 10_000;

    public static INotificationInboxGrain TeamInbox(this HandoffTestCluster cluster, string tenantId) =>
        cluster.Grains.Inbox(tenantId, InboxAddress.Team);

    /// <summary>When the tenant's index will have the contact's card escalated; null when it holds no such time (or no entry).</summary>
    public static async Task<DateTimeOffset?> EscalationTimeOf(this HandoffTestCluster cluster, string tenantId, string contactId) =>
        (await cluster.Grains.HandoffIndex(tenantId).List(OwnerFilter.All, "", 0, IndexPageSize)).Handoffs
        .SingleOrDefault(h => h.ContactId == contactId)?.EscalatesAt;

    /// <summary>The tenant's escalation reminder as stored in the reminder table; null when there is none.</summary>
    public static Task<ReminderEntry?> EscalationReminderOf(this HandoffTestCluster cluster, string tenantId) =>
        cluster.SiloServices.GetRequiredService<IReminderTable>().ReadRow(cluster.Grains.HandoffIndex(tenantId).GetGrainId(), TenantHandoffIndexGrain.EscalationReminder)!;

    /// <summary>
    /// The one escalation of <paramref name="contactId"/> in the team inbox, waiting for it while the clock moves on a
    /// minute at a time (the index's timer, or its reminder after a restart, fires on the clock).
    /// Fails when there are two.
    /// </summary>
    public static Task<NotificationRecord> EscalationAsync(this HandoffTestCluster cluster, string tenantId, string contactId) =>
        Wait.ForAsync(
            async () => (await cluster.TeamInbox(tenantId).NotificationsAbout(contactId)).SingleOrDefault(),
            $"the escalation of {contactId} in the team inbox",
            eachRound: () => cluster.Clock.Advance(TimeSpan.FromMinutes(1)));
}
