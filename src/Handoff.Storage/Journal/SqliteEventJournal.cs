using System.Collections.Concurrent;
using Handoff.Domain.Model;
using Handoff.Grains.Contacts;
using Handoff.Grains.Journal;
using Microsoft.Data.Sqlite;
using Orleans.Serialization;

namespace Handoff.Storage.Journal;

/// <summary>
/// The event journal of the embedded store, in a SQLite file of its own (WAL, synchronous=FULL). SQLite takes one
/// writer at a time, so appends go through one writer loop that commits every append waiting for it in one
/// transaction (group commit): one fsync for many batches, however many streams send them. Reads use connections of
/// their own, which WAL lets run beside the writer; a contact whose rows this process appended lately, or that has
/// none, is answered from memory instead (<see cref="RecentAppends"/>).
/// </summary>
public sealed class SqliteEventJournal : IEventJournal, IAsyncDisposable
{
    private const string SchemaFile = "Schema/sqlite/handoff-sqlite-events.sql";

    /// <summary>How long a statement waits for another writer of the file before it fails.</summary>
    private static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Events per transaction at most; appends waiting beyond it go in the next one.</summary>
    private const int MaxEventsPerCommit = 20_000;

    /// <summary>
    /// Contact readers kept open between reads at most: about as many as reads run at once on the thread pool of a
    /// small host; a burst beyond opens readers that are closed after their read.
    /// </summary>
    private const int MaxIdleReaders = 8;

    /// <summary>
    /// Pages the WAL file may hold before a commit copies them into the database file (SQLite's automatic checkpoint;
    /// its default is 1,000). A group commit of a few thousand events writes more pages than that (each event lands on
    /// a leaf of the event-id index and of the contact index, in no order), so at the default every commit also ran a
    /// checkpoint, with its two fsyncs, before the next could start; at 10,000 (about 40 MB) one runs every few commits,
    /// and a page written by several of them is copied once (measured in docs/ingest-durability.md).
    /// </summary>
    private const int CheckpointPages = 10_000;

    /// <summary>
    /// The latest appended rows whose contacts' replays are answered from memory (<see cref="RecentAppends"/>): about a
    /// second of appends at the cold ingest's rate, longer than a batch waits between its append and its contacts'
    /// calls. A contact whose first row has left them is read from the file.
    /// </summary>
    public const int RecentRowsHeld = 32_768;

    private readonly string connectionString;
    private readonly Serializer serializer;
    private readonly JournalAppendQueue appends;
    private readonly Task writer;
    private readonly RecentAppends recent;

    /// <summary>
    /// Contact readers not in use. Every activation replays its contact's journal: a reader kept open with its statement
    /// compiled makes that read one statement run, where opening a pooled connection, setting its busy timeout and
    /// compiling the statement again cost more than the read itself (measured in docs/ingest-durability.md).
    /// </summary>
    private readonly ConcurrentBag<ContactReader> idleReaders = [];

    private volatile bool disposed;

    public SqliteEventJournal(string path, Serializer serializer)
    {
        this.serializer = serializer;
        appends = new JournalAppendQueue(serializer, MaxEventsPerCommit, oneWriter: true);
        connectionString = SqliteDatabase.ConnectionString(path);
        using (var connection = Open())
        {
            Execute(connection, "PRAGMA journal_mode=WAL;");
            Execute(connection, File.ReadAllText(Path.Combine(AppContext.BaseDirectory, SchemaFile)));
            recent = RecentAppends.Read(connection, RecentRowsHeld);
        }

        writer = Task.Factory.StartNew(WriteLoop, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>The journal file that goes with the grain-state file at <paramref name="statePath"/>: handoff.db → handoff.events.db.</summary>
    public static string PathFor(string statePath)
    {
        var full = Path.GetFullPath(statePath);
        return Path.Combine(Path.GetDirectoryName(full)!, $"{Path.GetFileNameWithoutExtension(full)}.events{Path.GetExtension(full)}");
    }

    public Task<IReadOnlyList<JournalHolder?>> AppendAsync(string tenantId, IReadOnlyList<JournalEntry> entries, DateTimeOffset appendedAt,
        CancellationToken cancellationToken = default) =>
        appends.AppendAsync(tenantId, entries, appendedAt);

    public Task<IReadOnlyList<EngagementEvent>> ReadContactAsync(string tenantId, string contactId, DateTimeOffset since,
        CancellationToken cancellationToken = default)
    {
        if (recent.TryTake(tenantId, contactId, since, out var held))
        {
            return Task.FromResult(held);
        }

        // Microsoft.Data.Sqlite's async calls run synchronously: the read goes to the thread pool, off the grain's turn.
        return Task.Run<IReadOnlyList<EngagementEvent>>(() =>
        {
            var reader = idleReaders.TryTake(out var idle) ? idle : new ContactReader(Open());
            List<EngagementEvent> events;
            try
            {
                events = reader.Read(tenantId, contactId, since.UtcTicks, serializer);
            }
            catch
            {
                reader.Dispose();
                throw;
            }

            Return(reader);
            return events;
        }, cancellationToken);
    }

    private void Return(ContactReader reader)
    {
        if (disposed || idleReaders.Count >= MaxIdleReaders)
        {
            reader.Dispose();
            return;
        }

        idleReaders.Add(reader);
        // Closed while this read ran: what was just put back goes with the rest.
        if (disposed && idleReaders.TryTake(out var late))
        {
            late.Dispose();
        }
    }

    public Task<IReadOnlyList<JournaledContact>> ReadContactsAppendedSinceAsync(DateTimeOffset since, CancellationToken cancellationToken = default) =>
        Task.Run<IReadOnlyList<JournaledContact>>(() =>
        {
            using var connection = Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT DISTINCT TenantId, ContactId FROM EventJournal WHERE AppendedAt >= $since;";
            command.Parameters.AddWithValue("$since", since.UtcTicks);
            using var reader = command.ExecuteReader();
            var contacts = new List<JournaledContact>();
            while (reader.Read())
            {
                contacts.Add(new JournaledContact(reader.GetString(0), reader.GetString(1)));
            }

            return contacts;
        }, cancellationToken);

    public Task<DateTimeOffset?> ReadLatestAppendAsync(CancellationToken cancellationToken = default) =>
        Task.Run<DateTimeOffset?>(() =>
        {
            using var connection = Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT MAX(AppendedAt) FROM EventJournal;";
            return command.ExecuteScalar() is long ticks ? Time(ticks) : null;
        }, cancellationToken);

    public Task<long> PruneAsync(DateTimeOffset appendedBefore, CancellationToken cancellationToken = default) =>
        Task.Run(() =>
        {
            recent.Forget();
            using var connection = Open();
            using var command = connection.CreateCommand();
            // In slices, so that appends wait for the write lock a short while at a time.
            command.CommandText = """
                DELETE FROM EventJournal WHERE Seq IN
                    (SELECT Seq FROM EventJournal WHERE AppendedAt < $before ORDER BY AppendedAt LIMIT 10000);
                """;
            command.Parameters.AddWithValue("$before", appendedBefore.UtcTicks);
            long deleted = 0;
            int slice;
            do
            {
                cancellationToken.ThrowIfCancellationRequested();
                slice = command.ExecuteNonQuery();
                deleted += slice;
            }
            while (slice > 0);

            return deleted;
        }, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        appends.Close();
        await writer;
        disposed = true;
        while (idleReaders.TryTake(out var reader))
        {
            reader.Dispose();
        }
    }

    private void WriteLoop()
    {
        using var connection = Open();
        Execute(connection, $"PRAGMA synchronous=FULL; PRAGMA wal_autocheckpoint={CheckpointPages};");
        using var insert = new SqliteStatement(connection, """
            INSERT INTO EventJournal (TenantId, EventId, ContactId, AppendedAt, Payload)
            VALUES ($tenant, $event, $contact, $appended, $payload)
            ON CONFLICT (TenantId, EventId) DO NOTHING;
            """);
        var (tenant, eventId, contact, appended, payload) =
            (insert.Parameter("$tenant"), insert.Parameter("$event"), insert.Parameter("$contact"), insert.Parameter("$appended"), insert.Parameter("$payload"));
        using var owner = new SqliteStatement(connection, "SELECT ContactId, AppendedAt FROM EventJournal WHERE TenantId = $tenant AND EventId = $event;");
        var (ownerTenant, ownerEvent) = (owner.Parameter("$tenant"), owner.Parameter("$event"));

        appends.RunLoop(group =>
        {
            var answers = new List<JournalHolder?[]>(group.Count);
            using var transaction = connection.BeginTransaction(deferred: false);
            foreach (var append in group)
            {
                var answer = new JournalHolder?[append.Entries.Count];
                insert.Bind(tenant, append.TenantId);
                owner.Bind(ownerTenant, append.TenantId);
                insert.Bind(appended, append.AppendedAt.UtcTicks);
                for (var i = 0; i < append.Entries.Count; i++)
                {
                    var entry = append.Entries[i];
                    insert.Bind(eventId, entry.Event.EventId);
                    insert.Bind(contact, entry.ContactId);
                    insert.Bind(payload, append.Payloads[i]);
                    if (insert.Execute() == 0)
                    {
                        owner.Bind(ownerEvent, entry.Event.EventId);
                        try
                        {
                            if (!owner.Read())
                            {
                                throw new InvalidOperationException($"The journal refused event {entry.Event.EventId} as taken, and no row holds it.");
                            }

                            answer[i] = new JournalHolder(owner.GetString(0), Time(owner.GetInt64(1)));
                        }
                        finally
                        {
                            owner.Reset();
                        }
                    }
                }

                answers.Add(answer);
            }

            transaction.Commit();
            recent.Committed(group, answers);
            return answers;
        });
    }

    /// <summary>
    /// A connection that, when the file is locked by another writer (the pruner beside the append loop), waits inside
    /// SQLite in steps of a few milliseconds, instead of getting SQLITE_BUSY, which Microsoft.Data.Sqlite answers with a
    /// 150 ms sleep: a prune slice must not hold ingest up that long.
    /// </summary>
    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        Execute(connection, $"PRAGMA busy_timeout = {(int)BusyTimeout.TotalMilliseconds};");
        return connection;
    }

    /// <summary>A time of the journal: UTC ticks.</summary>
    private static DateTimeOffset Time(long utcTicks) => new(utcTicks, TimeSpan.Zero);

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>An open connection with the contact-read statement compiled on it; one read at a time.</summary>
    private sealed class ContactReader : IDisposable
    {
        private readonly SqliteConnection connection;
        private readonly SqliteStatement query;
        private readonly int tenant;
        private readonly int contact;
        private readonly int since;

        public ContactReader(SqliteConnection connection)
        {
            this.connection = connection;
            query = new SqliteStatement(connection, """
                SELECT AppendedAt, Payload FROM EventJournal
                WHERE TenantId = $tenant AND ContactId = $contact AND AppendedAt >= $since
                ORDER BY Seq;
                """);
            (tenant, contact, since) = (query.Parameter("$tenant"), query.Parameter("$contact"), query.Parameter("$since"));
        }

        /// <summary>Each payload is read where SQLite holds it, not copied into an array of its own first.</summary>
        public List<EngagementEvent> Read(string tenantId, string contactId, long sinceTicks, Serializer serializer)
        {
            query.Bind(tenant, tenantId);
            query.Bind(contact, contactId);
            query.Bind(since, sinceTicks);
            var events = new List<EngagementEvent>();
            try
            {
                while (query.Read())
                {
                    events.Add(JournalAnswers.StampedAt(serializer.Deserialize<EngagementEvent>(query.GetBlob(1))!, Time(query.GetInt64(0))));
                }
            }
            finally
            {
                query.Reset();
            }

            return events;
        }

        public void Dispose()
        {
            query.Dispose();
            connection.Dispose();
        }
    }
}
