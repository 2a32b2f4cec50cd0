using Handoff.Domain.Model;
using Handoff.Grains.Contacts;
using Handoff.Grains.Journal;
using Handoff.Storage.Journal;
using Handoff.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Serialization;
using EventType = Handoff.Domain.Model.EventType;

namespace Handoff.Server.Tests.Storage;

/// <summary>
/// The three event journals keep one contract about time: a contact applies an event as of the append time of its
/// batch, live and on every replay, so a read gives each event that time back exactly, and an append that finds an id
/// already taken answers with the time it was taken.
/// </summary>
public sealed class EventJournalTests
{
    private const string Tenant = "acme";

    public enum JournalKind
    {
        Memory,
        Sqlite,
        PostgreSql,
    }

    [Theory]
    [InlineData(JournalKind.Memory)]
    [InlineData(JournalKind.Sqlite)]
    [InlineData(JournalKind.PostgreSql)]
    public async Task A_read_gives_every_event_its_batch_append_time_and_a_taken_id_answers_with_the_time_it_was_taken(JournalKind kind)
    {
        await using var opened = await OpenedJournal.OpenAsync(kind);
        var journal = opened.Journal;
        // Between two microseconds, where a journal keeping less than JournalClock's stamp would give another time back.
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero).AddTicks(1_234_567));
        var first = JournalClock.Now(clock);
        clock.Advance(TimeSpan.FromTicks(15_000_003));
        var second = JournalClock.Now(clock);

        Assert.Equal([null, null, null],
            await journal.AppendAsync(Tenant, [Entry("alice", "e1"), Entry("alice", "e2"), Entry("bob", "e3")], first));
        Assert.Equal([new JournalHolder("alice", first), null, new JournalHolder("alice", first)],
            await journal.AppendAsync(Tenant, [Entry("alice", "e2"), Entry("alice", "e4"), Entry("bob", "e1")], second));

        Assert.Equal([("e1", first), ("e2", first), ("e4", (DateTimeOffset?)second)], Read(await journal.ReadContactAsync(Tenant, "alice", DateTimeOffset.MinValue)));
        Assert.Equal([("e4", (DateTimeOffset?)second)], Read(await journal.ReadContactAsync(Tenant, "alice", second)));
        Assert.Equal([("e3", (DateTimeOffset?)first)], Read(await journal.ReadContactAsync(Tenant, "bob", DateTimeOffset.MinValue)));
    }

    [Theory]
    [InlineData(JournalKind.Memory)]
    [InlineData(JournalKind.Sqlite)]
    [InlineData(JournalKind.PostgreSql)]
    public async Task Reads_at_once_each_get_their_own_contacts_events_and_a_later_read_sees_a_later_append(JournalKind kind)
    {
        await using var opened = await OpenedJournal.OpenAsync(kind);
        var journal = opened.Journal;
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));
        const int contacts = 16;
        // Contact i holds i + 1 events, so a read answered with another contact's rows shows in its count too.
        var entries = Enumerable.Range(0, contacts)
            .SelectMany(i => Enumerable.Range(0, i + 1).Select(n => Entry($"c{i}", $"c{i}-e{n}")))
            .ToList();
        Assert.All(await journal.AppendAsync(Tenant, entries, JournalClock.Now(clock)), holder => Assert.Null(holder));

        var reads = Enumerable.Range(0, contacts * 4).Select(async k =>
        {
            var contact = k % contacts;
            return (contact, events: await journal.ReadContactAsync(Tenant, $"c{contact}", DateTimeOffset.MinValue));
        });
        foreach (var (contact, events) in await Task.WhenAll(reads))
        {
            Assert.Equal(Enumerable.Range(0, contact + 1).Select(n => $"c{contact}-e{n}"), events.Select(e => e.EventId));
        }

        clock.Advance(TimeSpan.FromSeconds(1));
        var later = JournalClock.Now(clock);
        Assert.Equal([null], await journal.AppendAsync(Tenant, [Entry("c0", "c0-later")], later));
        // Reads of one contact from two points at once, and of a contact with no events, each get what they asked for.
        var (whole, sinceLater, unknown) = (
            journal.ReadContactAsync(Tenant, "c0", DateTimeOffset.MinValue),
            journal.ReadContactAsync(Tenant, "c0", later),
            journal.ReadContactAsync(Tenant, "nobody", DateTimeOffset.MinValue));
        Assert.Equal(["c0-e0", "c0-later"], (await whole).Select(e => e.EventId));
        Assert.Equal(["c0-later"], (await sinceLater).Select(e => e.EventId));
        Assert.Empty(await unknown);
    }

    [Theory]
    [InlineData(JournalKind.Memory)]
    [InlineData(JournalKind.Sqlite)]
    [InlineData(JournalKind.PostgreSql)]
    public async Task Appends_at_once_that_share_an_id_journal_it_once_and_the_other_is_told_who_holds_it(JournalKind kind)
    {
        await using var opened = await OpenedJournal.OpenAsync(kind);
        var journal = opened.Journal;
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));
        var first = JournalClock.Now(clock);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        var second = JournalClock.Now(clock);

        // Sent together, they may meet in one write or race in two: either way one holds the id and the other is told so.
        var answers = await Task.WhenAll(
            journal.AppendAsync(Tenant, [Entry("alice", "shared"), Entry("alice", "a-own")], first),
            journal.AppendAsync(Tenant, [Entry("bob", "shared"), Entry("bob", "b-own")], second));

        Assert.Null(answers[0][1]);
        Assert.Null(answers[1][1]);
        var aliceHolds = answers[0][0] is null;
        Assert.Equal(aliceHolds ? new JournalHolder("alice", first) : new JournalHolder("bob", second), aliceHolds ? answers[1][0] : answers[0][0]);
        var alice = (await journal.ReadContactAsync(Tenant, "alice", DateTimeOffset.MinValue)).Select(e => e.EventId).ToList();
        var bob = (await journal.ReadContactAsync(Tenant, "bob", DateTimeOffset.MinValue)).Select(e => e.EventId).ToList();
        Assert.Equal(aliceHolds ? ["shared", "a-own"] : ["a-own"], alice);
        Assert.Equal(aliceHolds ? ["b-own"] : ["shared", "b-own"], bob);
    }

    private static JournalEntry Entry(string contactId, string eventId) =>
        new(contactId, new EngagementEvent { EventId = eventId, Type = EventType.EmailOpened, OccurredAt = new DateTimeOffset(2026, 11, 24, 11, 0, 0, TimeSpan.Zero) });

    private static List<(string EventId, DateTimeOffset? AppendedAt)> Read(IReadOnlyList<EngagementEvent> events) =>
        events.Select(e => (e.EventId, e.AppendedAt)).ToList();

    /// <summary>A journal of one kind on a store of its own, removed with it.</summary>
    private sealed class OpenedJournal(IEventJournal journal, Func<ValueTask> remove) : IAsyncDisposable
    {
        public IEventJournal Journal { get; } = journal;

        public static async Task<OpenedJournal> OpenAsync(JournalKind kind)
        {
            var serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();
            switch (kind)
            {
                case JournalKind.Memory:
                    return new OpenedJournal(new MemoryEventJournal(), () => ValueTask.CompletedTask);
                case JournalKind.Sqlite:
                    var folder = Path.Combine(Path.GetTempPath(), "handoff-journal-tests", Guid.NewGuid().ToString("N"));
                    Directory.CreateDirectory(folder);
                    var sqlite = new SqliteEventJournal(Path.Combine(folder, "handoff.events.db"), serializer);
                    return new OpenedJournal(sqlite, async () =>
                    {
                        await sqlite.DisposeAsync();
                        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                        Directory.Delete(folder, recursive: true);
                    });
                default:
                    var server = await PostgreSqlTestServer.GetAsync();
                    var database = await server.CreateDatabaseAsync();
                    var postgres = new PostgreSqlEventJournal(database, serializer);
                    return new OpenedJournal(postgres, async () =>
                    {
                        await postgres.DisposeAsync();
                        await server.DropDatabaseAsync(database);
                    });
            }
        }

        public ValueTask DisposeAsync() => remove();
    }
}
