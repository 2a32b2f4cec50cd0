using Handoff.Domain.Model;
using Handoff.Grains.Journal;
using Handoff.Storage.Journal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Serialization;
using EventType = Handoff.Domain.Model.EventType;

namespace Handoff.Server.Tests.Storage;

/// <summary>
/// The SQLite journal answers a contact's replay from memory when every row of the contact was appended by this
/// process lately, and reads its file otherwise. These are the cases where the file must be read: rows from before a
/// restart, rows that have left the ones held in memory, rows an earlier replay took, and rows a prune removed.
/// </summary>
public sealed class SqliteJournalReadTests : IAsyncDisposable
{
    private const string Tenant = "acme";

    private readonly string folder = Path.Combine(Path.GetTempPath(), "handoff-journal-tests", Guid.NewGuid().ToString("N"));
    private readonly Serializer serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 12, 8, 9, 0, 0, TimeSpan.Zero));

    public SqliteJournalReadTests() => Directory.CreateDirectory(folder);

    private string JournalPath => Path.Combine(folder, "handoff.events.db");

    [Fact]
    public async Task After_a_restart_a_contact_reads_the_rows_appended_before_it_with_those_appended_after()
    {
        var before = JournalClock.Now(clock);
        await using (var first = Open())
        {
            await first.AppendAsync(Tenant, [Entry("alice", "a1"), Entry("bob", "b1")], before);
        }

        clock.Advance(TimeSpan.FromSeconds(1));
        var after = JournalClock.Now(clock);
        await using var journal = Open();
        await journal.AppendAsync(Tenant, [Entry("alice", "a2"), Entry("carol", "c1")], after);

        Assert.Equal([("a1", before), ("a2", after)], Read(await journal.ReadContactAsync(Tenant, "alice", DateTimeOffset.MinValue)));
        Assert.Equal([("b1", before)], Read(await journal.ReadContactAsync(Tenant, "bob", DateTimeOffset.MinValue)));
        Assert.Equal([("c1", after)], Read(await journal.ReadContactAsync(Tenant, "carol", DateTimeOffset.MinValue)));
        // A second replay of a contact (a later activation) gets the same rows.
        Assert.Equal([("c1", after)], Read(await journal.ReadContactAsync(Tenant, "carol", DateTimeOffset.MinValue)));
        Assert.Empty(await journal.ReadContactAsync(Tenant, "nobody", DateTimeOffset.MinValue));
        Assert.Empty(await journal.ReadContactAsync("another-tenant", "alice", DateTimeOffset.MinValue));
        // A contact that had nothing to replay, and has rows since, reads them.
        await journal.AppendAsync(Tenant, [Entry("nobody", "n1")], after);
        Assert.Equal([("n1", after)], Read(await journal.ReadContactAsync(Tenant, "nobody", DateTimeOffset.MinValue)));
    }

    [Fact]
    public async Task A_contact_whose_first_rows_were_followed_by_more_appends_than_memory_holds_reads_them_all()
    {
        await using var journal = Open();
        var at = JournalClock.Now(clock);
        await journal.AppendAsync(Tenant, [Entry("alice", "a1")], at);
        // Enough rows of other contacts, in batches of the size ingest sends, for alice's first row to leave memory.
        const int batch = 500;
        for (var sent = 0; sent < SqliteEventJournal.RecentRowsHeld; sent += batch)
        {
            await journal.AppendAsync(Tenant, Enumerable.Range(sent, batch).Select(n => Entry($"other-{n % 1000}", $"o{n}")).ToList(), at);
        }

        await journal.AppendAsync(Tenant, [Entry("alice", "a2")], at);

        Assert.Equal(["a1", "a2"], (await journal.ReadContactAsync(Tenant, "alice", DateTimeOffset.MinValue)).Select(e => e.EventId));
        var other = await journal.ReadContactAsync(Tenant, "other-7", DateTimeOffset.MinValue);
        Assert.Equal(SqliteEventJournal.RecentRowsHeld / 1000 + 1, other.Count);
        Assert.Equal(Enumerable.Range(0, other.Count).Select(k => $"o{7 + 1000 * k}"), other.Select(e => e.EventId));
    }

    [Fact]
    public async Task A_read_after_a_prune_gives_only_the_rows_the_prune_kept()
    {
        await using var journal = Open();
        var old = JournalClock.Now(clock);
        await journal.AppendAsync(Tenant, [Entry("alice", "a-old"), Entry("bob", "b-old")], old);
        clock.Advance(TimeSpan.FromDays(8));
        var recent = JournalClock.Now(clock);
        await journal.AppendAsync(Tenant, [Entry("alice", "a-new")], recent);

        Assert.Equal(2, await journal.PruneAsync(recent - TimeSpan.FromDays(7)));

        Assert.Equal([("a-new", recent)], Read(await journal.ReadContactAsync(Tenant, "alice", DateTimeOffset.MinValue)));
        Assert.Empty(await journal.ReadContactAsync(Tenant, "bob", DateTimeOffset.MinValue));
        // A contact's rows appended after the prune are read whole again.
        await journal.AppendAsync(Tenant, [Entry("bob", "b-new")], recent);
        Assert.Equal([("b-new", recent)], Read(await journal.ReadContactAsync(Tenant, "bob", DateTimeOffset.MinValue)));
    }

    public ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
        return ValueTask.CompletedTask;
    }

    private SqliteEventJournal Open() => new(JournalPath, serializer);

    private static JournalEntry Entry(string contactId, string eventId) =>
        new(contactId, new EngagementEvent { EventId = eventId, Type = EventType.EmailOpened, OccurredAt = new DateTimeOffset(2026, 12, 8, 8, 0, 0, TimeSpan.Zero) });

    private static List<(string EventId, DateTimeOffset AppendedAt)> Read(IReadOnlyList<EngagementEvent> events) =>
        events.Select(e => (e.EventId, e.AppendedAt!.Value)).ToList();
}
