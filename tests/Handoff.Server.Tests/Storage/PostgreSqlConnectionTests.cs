using Grpc.Core;
using Handoff.Protos.V1;
using Handoff.Server.Tests.Support;
using Handoff.Tests.Support;
using Npgsql;

namespace Handoff.Server.Tests.Storage;

/// <summary>
/// How the real host treats its PostgreSQL connections: it stays within the pool size it is given, however many
/// contacts wake up at once, and a database that refuses connections is answered UNAVAILABLE, with nothing acknowledged
/// lost and nothing counted twice once the database is back.
/// </summary>
public sealed class PostgreSqlConnectionTests
{
    private const int PoolSize = 4;
    private const int NewContacts = 240;
    private const int ContactsPerBatch = 12;
    private const string HostApplicationName = "handoff-pool-under-test";

    [Fact]
    public async Task A_silo_holds_no_more_connections_than_its_pool_size_while_many_new_contacts_replay_their_journal()
    {
        var server = await PostgreSqlTestServer.GetAsync();
        var database = await server.CreateDatabaseAsync();
        try
        {
            // The batches come all at once and wait at the door as long as they need (the admission limit is not what is
            // tested here; its own tests are in Ingest/).
            var host = await ServerHost.StartOnPostgreSqlAsync($"{database};Maximum Pool Size={PoolSize};Application Name={HostApplicationName}",
                "Handoff:Ingest:AdmissionWait=00:02:00");
            try
            {
                var tenant = new TestTenant(host);
                var peak = 0;
                using var sampling = new CancellationTokenSource();
                var sampler = Task.Run(async () =>
                {
                    while (!sampling.IsCancellationRequested)
                    {
                        peak = Math.Max(peak, await HostConnectionsAsync(server));
                        await Task.Delay(TimeSpan.FromMilliseconds(5));
                    }
                });

                // Every contact is new, so every grain call activates a contact that replays the journal, while other
                // batches append to it and write state: each of those wants a connection at once.
                var batches = Enumerable.Range(0, NewContacts / ContactsPerBatch).Select(b => tenant.IngestAsync(
                    Enumerable.Range(0, ContactsPerBatch).Select(c => new ProtoEvents($"c-{b}-{c}").Opened(TimeSpan.FromMinutes(5))),
                    $"batch-{b}"));
                var acks = await Task.WhenAll(batches);
                await sampling.CancelAsync();
                await sampler;
                // The pool keeps what it opened for minutes: one more look sees it even if the sampler started late.
                peak = Math.Max(peak, await HostConnectionsAsync(server));

                Assert.All(acks, ack => Assert.Equal(ContactsPerBatch, ack.AcceptedCount));
                Assert.InRange(peak, 1, PoolSize);
            }
            finally
            {
                await host.DisposeAsync();
            }
        }
        finally
        {
            await server.DropDatabaseAsync(database);
        }
    }

    [Fact]
    public async Task A_database_that_refuses_connections_is_answered_unavailable_and_the_retried_batch_counts_once()
    {
        await using var database = await RefusingDatabase.CreateAsync();
        var host = await ServerHost.StartOnPostgreSqlAsync(database.ConnectionString, "Handoff:Server:Storage:ApplySchema=true");
        try
        {
            var tenant = new TestTenant(host);
            var before = new ProtoEvents("c-before");
            Assert.Equal(1, (await tenant.IngestAsync([before.Opened(TimeSpan.FromMinutes(3))], "before")).AcceptedCount);

            await database.RefuseAsync();
            var during = new ProtoEvents("c-during");
            var events = new[] { during.Opened(TimeSpan.FromMinutes(2)), during.Opened(TimeSpan.FromMinutes(1)) };
            var refused = await RpcAssert.FailsAsync(StatusCode.Unavailable, () => tenant.IngestAsync(events, "during"));
            Assert.Contains("database", refused.Status.Detail);
            await RpcAssert.FailsAsync(StatusCode.Unavailable, () => tenant.IngestAsync(events, "during"));

            // Back again: the same batch, sent once more, is acknowledged and counted once; what was acknowledged
            // before the outage is still there.
            await database.AdmitAsync();
            Assert.Equal(2, (await tenant.IngestAsync(events, "during")).AcceptedCount);
            Assert.Equal(2, (await tenant.GetContactAsync("c-during")).Engagement.TotalEventCount);
            Assert.Equal(1, (await tenant.GetContactAsync("c-before")).Engagement.TotalEventCount);
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    /// <summary>Sessions the host has open (named by its Application Name, so the test's own schema set-up is not counted).</summary>
    private static async Task<int> HostConnectionsAsync(PostgreSqlTestServer server)
    {
        await using var admin = new NpgsqlConnection(server.AdminConnectionString);
        await admin.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE application_name = @name;", admin);
        count.Parameters.Add(new NpgsqlParameter<string>("name", HostApplicationName));
        return Convert.ToInt32(await count.ExecuteScalarAsync());
    }
}
