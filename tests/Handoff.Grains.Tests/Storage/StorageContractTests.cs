using System.Net;
using Handoff.Grains.Tests.Support;
using Handoff.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Runtime.MembershipService;
using Orleans.Storage;

namespace Handoff.Grains.Tests.Storage;

/// <summary>
/// The project's SQL, driven through the Orleans providers themselves (the code that runs it in production): grain
/// storage and reminders on both stores, membership on PostgreSQL. These are the rules the schema scripts promise in
/// their comments; the grain tests only ever see the happy path of them.
/// </summary>
public sealed class StorageContractTests
{
    private const string GrainType = "storage-probe";

    [Theory]
    [InlineData(StoreKind.Sqlite)]
    [InlineData(StoreKind.PostgreSql)]
    public async Task Of_two_writes_with_the_same_etag_the_second_fails_with_InconsistentStateException_and_changes_nothing(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        var cluster = await HandoffTestCluster.StartAsync(store);
        try
        {
            var storage = cluster.SiloServices.GetRequiredKeyedService<IGrainStorage>(StorageNames.Handoff);
            var grain = GrainId.Create(GrainType, $"acme/{Guid.NewGuid():N}");

            var first = new GrainState<List<string>>(["first"]);
            await storage.WriteStateAsync(GrainType, grain, first);
            Assert.Equal("1", first.ETag);

            // Two readers of version 1 ...
            var a = await ReadAsync(storage, grain);
            var b = await ReadAsync(storage, grain);
            Assert.Equal(("1", true), (a.ETag, a.RecordExists));

            // ... the first write wins, the second finds the version moved on.
            a.State = ["from a"];
            await storage.WriteStateAsync(GrainType, grain, a);
            Assert.Equal("2", a.ETag);
            b.State = ["from b"];
            await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(GrainType, grain, b));
            Assert.Equal("1", b.ETag);

            var stored = await ReadAsync(storage, grain);
            Assert.Equal(("from a", "2"), (Assert.Single(stored.State!), stored.ETag));

            // A first write (no ETag) onto an existing row is a conflict too, not an overwrite.
            await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(GrainType, grain, new GrainState<List<string>>(["blind"])));

            // Clearing needs the current version as well, and a writer that read before the clear conflicts after it.
            await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync(GrainType, grain, b));
            var beforeClear = await ReadAsync(storage, grain);
            await storage.ClearStateAsync(GrainType, grain, stored);
            Assert.Equal("3", stored.ETag);
            var cleared = await ReadAsync(storage, grain);
            Assert.Equal((false, "3"), (cleared.RecordExists, cleared.ETag));
            Assert.Empty(cleared.State!);
            beforeClear.State = ["stale"];
            await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(GrainType, grain, beforeClear));
            cleared.State = ["after clear"];
            await storage.WriteStateAsync(GrainType, grain, cleared);
            Assert.Equal(("after clear", "4"), (Assert.Single((await ReadAsync(storage, grain)).State!), cleared.ETag));

            // An absent grain reads as no record and no version.
            var absent = await ReadAsync(storage, GrainId.Create(GrainType, $"acme/{Guid.NewGuid():N}"));
            Assert.Equal((false, null), (absent.RecordExists, absent.ETag));
        }
        finally
        {
            await cluster.DisposeAsync();
        }
    }

    [Theory]
    [InlineData(StoreKind.Sqlite)]
    [InlineData(StoreKind.PostgreSql)]
    public async Task Reminders_are_read_by_grain_and_by_ring_range_and_removed_only_with_their_current_etag(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        var cluster = await HandoffTestCluster.StartAsync(store);
        try
        {
            var table = cluster.SiloServices.GetRequiredService<IReminderTable>();
            var grain = GrainId.Create(GrainType, $"acme/{Guid.NewGuid():N}");
            var other = GrainId.Create(GrainType, $"acme/{Guid.NewGuid():N}");
            var startAt = new DateTime(2026, 11, 24, 12, 0, 0, DateTimeKind.Utc);

            var created = await table.UpsertRow(Reminder(grain, "follow-up", startAt, TimeSpan.FromMinutes(1)));
            var replaced = await table.UpsertRow(Reminder(grain, "follow-up", startAt.AddHours(1), TimeSpan.FromDays(40)));
            await table.UpsertRow(Reminder(grain, "digest", startAt, TimeSpan.FromHours(1)));
            await table.UpsertRow(Reminder(other, "digest", startAt, TimeSpan.FromHours(1)));
            Assert.NotEqual(created, replaced);

            var row = await table.ReadRow(grain, "follow-up");
            Assert.NotNull(row);
            Assert.Equal((grain, "follow-up", startAt.AddHours(1), TimeSpan.FromDays(40), replaced), (row.GrainId, row.ReminderName, row.StartAt, row.Period, row.ETag));
            Assert.Equal(["digest", "follow-up"], (await table.ReadRows(grain)).Reminders.Select(r => r.ReminderName).Order());

            // Ranges are (begin, end] on the hash ring; Orleans picks one statement for ranges in signed order and
            // the other for ranges that wrap around.
            var hash = grain.GetUniformHashCode();
            Assert.Contains(grain, await GrainsIn(table, unchecked(hash - 1), hash));
            Assert.DoesNotContain(grain, await GrainsIn(table, hash, unchecked(hash + 1)));
            Assert.Contains(grain, await GrainsIn(table, unchecked(hash + 1), hash));
            Assert.DoesNotContain(grain, await GrainsIn(table, hash, unchecked(hash - 1)));
            Assert.Contains(other, await GrainsIn(table, hash, hash));

            Assert.False(await table.RemoveRow(grain, "follow-up", created!));
            Assert.NotNull(await table.ReadRow(grain, "follow-up"));
            Assert.True(await table.RemoveRow(grain, "follow-up", replaced!));
            Assert.Null(await table.ReadRow(grain, "follow-up"));
            Assert.False(await table.RemoveRow(grain, "follow-up", replaced!));
        }
        finally
        {
            await cluster.DisposeAsync();
        }
    }

    [Fact]
    public async Task Membership_on_PostgreSql_changes_a_row_only_together_with_the_table_version_it_read()
    {
        await using var store = await TestStore.CreateAsync(StoreKind.PostgreSql);
        var clusterId = $"contract-{Guid.NewGuid():N}";
        var table = new AdoNetClusteringTable(
            new ServiceCollection().BuildServiceProvider(),
            Options.Create(new ClusterOptions { ClusterId = clusterId, ServiceId = "handoff-tests" }),
            Options.Create(new AdoNetClusteringSiloOptions { Invariant = PostgreSqlDatabase.Invariant, ConnectionString = store.ProviderConnectionString }),
            NullLogger<AdoNetClusteringTable>.Instance);
        await table.InitializeMembershipTableAsync(tryInitTableVersion: true);
        await table.InitializeMembershipTableAsync(tryInitTableVersion: true); // every silo start does this

        var empty = await table.ReadAllAsync();
        Assert.Empty(empty.Members);
        Assert.Equal(0, empty.Version.Version);

        var now = new DateTime(2026, 11, 24, 12, 0, 0, DateTimeKind.Utc);
        var one = Member(11111, now);
        var two = Member(11112, now);
        Assert.True(await table.InsertRowAsync(one, empty.Version.Next()));
        // A second silo that read the same (now stale) version is refused, and its row is not added.
        Assert.False(await table.InsertRowAsync(two, empty.Version.Next()));
        var afterInsert = await table.ReadAllAsync();
        Assert.Equal(1, afterInsert.Version.Version);
        var (stored, etag) = Assert.Single(afterInsert.Members);
        Assert.Equal((one.SiloAddress, one.SiloName, one.HostName, SiloStatus.Joining, 30000, now, now), (stored.SiloAddress, stored.SiloName, stored.HostName, stored.Status, stored.ProxyPort, stored.StartTime, stored.IAmAliveTime));
        // Inserting the same silo again is refused even with the current version.
        Assert.False(await table.InsertRowAsync(one, afterInsert.Version.Next()));
        Assert.True(await table.InsertRowAsync(two, afterInsert.Version.Next()));

        var read = await table.ReadAllAsync();
        Assert.Equal(2, read.Version.Version);
        var entry = read.Members.Single(m => m.Item1.SiloAddress.Equals(one.SiloAddress));
        entry.Item1.Status = SiloStatus.Dead;
        entry.Item1.SuspectTimes = [Tuple.Create(two.SiloAddress, now.AddSeconds(5))];
        Assert.False(await table.UpdateRowAsync(entry.Item1, entry.Item2, afterInsert.Version.Next()));
        Assert.True(await table.UpdateRowAsync(entry.Item1, entry.Item2, read.Version.Next()));
        Assert.False(await table.UpdateRowAsync(entry.Item1, entry.Item2, read.Version.Next()));

        // The heartbeat changes the row, not the version.
        await table.UpdateIAmAliveAsync(new MembershipEntry { SiloAddress = two.SiloAddress, IAmAliveTime = now.AddMinutes(1) });
        var row = await table.ReadRowAsync(two.SiloAddress);
        Assert.Equal((3, now.AddMinutes(1)), (row.Version.Version, Assert.Single(row.Members).Item1.IAmAliveTime));

        var dead = (await table.ReadRowAsync(one.SiloAddress)).Members.Single().Item1;
        Assert.Equal(SiloStatus.Dead, dead.Status);
        Assert.Equal([(two.SiloAddress, now.AddSeconds(5))], dead.SuspectTimes!.Select(t => (t.Item1, t.Item2)));

        // Housekeeping removes dead silos not heard of since the cut-off, and only those.
        await table.CleanupDefunctSiloEntriesAsync(now.AddMinutes(30));
        Assert.Equal([two.SiloAddress], (await table.ReadAllAsync()).Members.Select(m => m.Item1.SiloAddress));

        await table.DeleteMembershipTableEntriesAsync(clusterId);
        Assert.Equal(0L, await CountAsync(store, "SELECT count(*) FROM orleans_membership_version"));
        Assert.Equal(0L, await CountAsync(store, "SELECT count(*) FROM orleans_membership"));
    }

    /// <summary>
    /// A contact goes on changing its state while a checkpoint of it is written, and writes no copy: the store must take
    /// the state when the write is called. Each write here is changed at once, and many are under way together, so that
    /// a store serializing later (once it holds a connection, or its turn at the writer) would store the changed state.
    /// </summary>
    [Theory]
    [InlineData(StoreKind.Sqlite)]
    [InlineData(StoreKind.PostgreSql)]
    public async Task A_state_changed_while_its_write_is_under_way_is_stored_as_it_was_when_the_write_was_called(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        var cluster = await HandoffTestCluster.StartAsync(store);
        try
        {
            var storage = cluster.SiloServices.GetRequiredKeyedService<IGrainStorage>(StorageNames.Handoff);
            Assert.IsAssignableFrom<IStateTakenAtWrite>(storage);
            var grains = Enumerable.Range(0, 20).Select(_ => GrainId.Create(GrainType, $"acme/{Guid.NewGuid():N}")).ToList();

            var writes = new List<Task>();
            foreach (var grain in grains)
            {
                List<string> written = ["as called"];
                writes.Add(storage.WriteStateAsync(GrainType, grain, new GrainState<List<string>>(written)));
                written[0] = "changed after the call";
                written.Add("added after the call");
            }

            await Task.WhenAll(writes);
            foreach (var grain in grains)
            {
                Assert.Equal(["as called"], (await ReadAsync(storage, grain)).State);
            }
        }
        finally
        {
            await cluster.DisposeAsync();
        }
    }

    private static async Task<GrainState<List<string>>> ReadAsync(IGrainStorage storage, GrainId grain)
    {
        var state = new GrainState<List<string>>();
        await storage.ReadStateAsync(GrainType, grain, state);
        return state;
    }

    private static ReminderEntry Reminder(GrainId grain, string name, DateTime startAt, TimeSpan period) =>
        new() { GrainId = grain, ReminderName = name, StartAt = startAt, Period = period };

    private static async Task<List<GrainId>> GrainsIn(IReminderTable table, uint begin, uint end) =>
        [.. (await table.ReadRows(begin, end)).Reminders.Select(r => r.GrainId)];

    private static MembershipEntry Member(int port, DateTime now) => new()
    {
        SiloAddress = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, port), 7),
        SiloName = $"silo-{port}",
        HostName = "test-host",
        Status = SiloStatus.Joining,
        ProxyPort = 30000,
        StartTime = now,
        IAmAliveTime = now,
    };

    private static async Task<long> CountAsync(TestStore store, string sql)
    {
        await using var connection = new NpgsqlConnection(store.Location);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
