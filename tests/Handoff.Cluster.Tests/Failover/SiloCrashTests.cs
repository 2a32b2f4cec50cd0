using System.Diagnostics;
using Grpc.Core;
using Handoff.Cluster.Tests.Support;
using Handoff.Protos.V1;
using Xunit.Abstractions;

namespace Handoff.Cluster.Tests.Failover;

/// <summary>
/// Three real host processes share one PostgreSQL database. A load client ingests through all three, one is
/// killed with SIGKILL mid-stream, and the client retries what was not acknowledged on the survivors.
/// Nothing acknowledged may be lost or counted twice.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class SiloCrashTests(ClusterDatabaseFixture database, ITestOutputHelper output)
{
    private const string Tenant = "load";
    private const int Contacts = 3000;
    private const int HotContacts = 60;
    private const int EventsPerContact = 6;
    private const int BatchSize = 250;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Killing_a_silo_mid_stream_loses_and_duplicates_nothing_acknowledged()
    {
        var clusterId = $"crash-{Guid.NewGuid():N}"[..20];
        var connectionString = await database.CreateDatabaseAsync();
        await using var cluster = await TestCluster.StartAsync(connectionString, clusterId, silos: 3, StartTimeout);
        var plan = new EventPlan(Contacts, HotContacts, EventsPerContact, DateTimeOffset.UtcNow);
        var client = new IngestClient(cluster.Silos, workers: 6, callTimeout: TimeSpan.FromSeconds(30), maxAttempts: 20);

        // Cards are raised for the hot contacts before anything goes wrong.
        await client.SendAsync(plan.WarmUpBatches(Tenant, BatchSize), CancellationToken.None);
        var cardsBefore = await CardsAsync(cluster.Silos[0], plan.HotContacts);
        Assert.Equal(HotContacts, cardsBefore.Count);

        // Load through all three; silo 2 dies once a third of the load is acknowledged.
        var victim = cluster.Silos[1];
        var batches = plan.LoadBatches(Tenant, BatchSize).ToList();
        var killAfter = batches.Count / 3;
        var acknowledgedBeforeLoad = client.AcknowledgedBatches;
        var sending = client.SendAsync(batches, CancellationToken.None);
        var killedAt = await KillWhenAsync(victim, () => client.AcknowledgedBatches >= acknowledgedBeforeLoad + killAfter);
        var survivors = cluster.Silos.Where(s => s != victim).ToList();
        var answeredAfter = await TimeUntilEveryContactAnswersAsync(survivors, plan.Contacts, killedAt);
        await sending;

        // Every acknowledged event is counted exactly once in its contact.
        var acknowledged = client.AcknowledgedPerContact;
        long found = 0, duplicates = 0, missing = 0;
        foreach (var contactId in plan.Contacts)
        {
            var contact = await GetContactAsync(survivors[0], contactId);
            var expected = acknowledged.GetValueOrDefault(contactId);
            found += contact.Engagement.TotalEventCount;
            duplicates += Math.Max(0, contact.Engagement.TotalEventCount - expected);
            missing += Math.Max(0, expected - contact.Engagement.TotalEventCount);
        }

        // Every card raised before the kill is still there, raised once.
        var cardsAfter = await CardsAsync(survivors[0], plan.HotContacts);
        foreach (var (contactId, cardId) in cardsBefore)
        {
            Assert.Equal(cardId, cardsAfter[contactId]);
            Assert.Equal(1, await CountHistoryAsync(survivors[0], contactId, HistoryEntryKind.CardRaised));
        }

        await Membership.WaitForStatusAsync(connectionString, clusterId, victim.SiloPort, Membership.Dead, TimeSpan.FromSeconds(60));

        Figures.Report(output, $"silo crash: contacts {Contacts}, events acknowledged {client.AcknowledgedEvents}, events found {found}, " +
            $"duplicates {duplicates}, missing {missing}, retried calls {client.FailedAttempts}, " +
            $"survivors answered for every contact {answeredAfter.TotalSeconds:0.0} s after the kill");
        Assert.Equal(plan.Contacts.Count * EventsPerContact + HotContacts * 10, client.AcknowledgedEvents);
        Assert.Equal(0, duplicates);
        Assert.Equal(0, missing);
        Assert.Equal(client.AcknowledgedEvents, found);
    }

    private static async Task<DateTime> KillWhenAsync(SiloProcess victim, Func<bool> condition)
    {
        await Wait.UntilAsync(condition, () => "the load to progress far enough to kill a silo", TimeSpan.FromMinutes(5));
        victim.Kill();
        return DateTime.UtcNow;
    }

    /// <summary>Sweeps every contact through the survivors until one full sweep succeeds.</summary>
    private static async Task<TimeSpan> TimeUntilEveryContactAnswersAsync(IReadOnlyList<SiloProcess> survivors, IReadOnlyList<string> contacts, DateTime killedAt)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        while (true)
        {
            var failures = 0;
            await Parallel.ForEachAsync(contacts, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (contactId, _) =>
            {
                var silo = survivors[Math.Abs(contactId.GetHashCode()) % survivors.Count];
                try
                {
                    await GetContactAsync(silo, contactId, TimeSpan.FromSeconds(5));
                }
                catch (RpcException)
                {
                    Interlocked.Increment(ref failures);
                }
            });
            if (failures == 0)
            {
                return DateTime.UtcNow - killedAt;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{failures} contacts still did not answer from the survivors");
        }
    }

    private static async Task<Contact> GetContactAsync(SiloProcess silo, string contactId, TimeSpan? timeout = null) =>
        (await new ContactService.ContactServiceClient(silo.Invoker).GetContactAsync(
            new GetContactRequest { TenantId = Tenant, ContactId = contactId },
            deadline: DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30)))).Contact;

    private static async Task<Dictionary<string, string>> CardsAsync(SiloProcess silo, IEnumerable<string> contacts)
    {
        var cards = new Dictionary<string, string>();
        foreach (var contactId in contacts)
        {
            var contact = await GetContactAsync(silo, contactId);
            if (contact.Card is { } card)
            {
                cards[contactId] = card.CardId;
            }
        }

        return cards;
    }

    private static async Task<int> CountHistoryAsync(SiloProcess silo, string contactId, HistoryEntryKind kind)
    {
        var history = await new ContactService.ContactServiceClient(silo.Invoker).GetContactHistoryAsync(
            new GetContactHistoryRequest { TenantId = Tenant, ContactId = contactId, PageSize = 500 });
        return history.Entries.Count(e => e.Kind == kind);
    }
}
