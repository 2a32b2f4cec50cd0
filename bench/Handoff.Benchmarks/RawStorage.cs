using System.Diagnostics;
using Google.Protobuf;
using Handoff.Protos.V1;
using Handoff.Storage;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace Handoff.Benchmarks;

/// <summary>
/// The raw storage limit: the same batches made durable with no grain work, the fastest correct way we know, so that
/// "host ÷ raw" is the cost of the host and not of a slow baseline. The batches arrive as they reach the host (as many
/// streams as the host has, each with as many batches in flight); a batch is acknowledged when the transaction that
/// holds it has committed, and its latency is from its arrival to that commit. The rows are those of the host's own
/// journal (tenant, event id unique per tenant, contact, append time, the event's bytes as they came) with its
/// indexes, and a repeated event id is skipped as the host skips it.
/// SQLite: one writer (SQLite has one write lock), one prepared single-row INSERT reused through SQLite's own calls (as
/// the host's journal, <see cref="SqliteStatement"/>), one transaction for every
/// batch waiting when the last one committed (group commit), WAL with synchronous=FULL and the automatic checkpoint at
/// 10,000 pages, as the host's journal.
/// PostgreSQL: a few writers, each one INSERT ... SELECT FROM unnest(arrays) per group of waiting batches, at the
/// server's defaults (synchronous commit); a plain INSERT first, and only if an id in the group was taken the group
/// again with ON CONFLICT DO NOTHING, as the host's journal does.
/// </summary>
public static class RawStorage
{
    /// <summary>Batches one commit takes at most, as the host's journal caps its groups.</summary>
    private const int MaxBatchesPerCommit = 64;

    /// <summary>WAL pages between automatic checkpoints, as the host's journal sets it (SqliteEventJournal.CheckpointPages).</summary>
    private const int CheckpointPages = 10_000;

    /// <summary>PostgreSQL writers: enough to keep the server's group commit busy on two cores, few enough not to fight.</summary>
    private const int PostgreSqlWriters = 3;

    public static async Task<Pass> SqliteAsync(string path, IReadOnlyList<IngestEventsRequest> batches, int streams, int inFlight, CancellationToken cancellationToken)
    {
        var connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString();
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        Execute(connection, $$"""
            PRAGMA journal_mode=WAL;
            PRAGMA synchronous=FULL;
            PRAGMA wal_autocheckpoint={{CheckpointPages}};
            CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY, tenant_id TEXT NOT NULL, event_id TEXT NOT NULL,
                contact_id TEXT NOT NULL, appended_at INTEGER NOT NULL, payload BLOB NOT NULL, UNIQUE (tenant_id, event_id));
            CREATE INDEX IF NOT EXISTS events_by_contact ON events (tenant_id, contact_id, appended_at);
            CREATE INDEX IF NOT EXISTS events_by_appended_at ON events (appended_at);
            """);
        using var insert = new SqliteStatement(connection, """
            INSERT INTO events (tenant_id, event_id, contact_id, appended_at, payload) VALUES ($tenant, $event, $contact, $appended, $payload)
            ON CONFLICT (tenant_id, event_id) DO NOTHING;
            """);
        var (tenant, eventId, contact, appended, payload) =
            (insert.Parameter("$tenant"), insert.Parameter("$event"), insert.Parameter("$contact"), insert.Parameter("$appended"), insert.Parameter("$payload"));

        return await AppendAsync(batches, streams, inFlight, writers: 1, cancellationToken, (group, _) =>
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            insert.Bind(appended, DateTime.UtcNow.Ticks);
            insert.Bind(tenant, Workload.Tenant);
            foreach (var batch in group)
            {
                foreach (var e in batch.Events)
                {
                    insert.Bind(eventId, e.EventId);
                    insert.Bind(contact, e.ContactId);
                    insert.Bind(payload, e.ToByteArray());
                    insert.Execute();
                }
            }

            transaction.Commit();
            return Task.CompletedTask;
        });
    }

    public static async Task<Pass> PostgreSqlAsync(string connectionString, IReadOnlyList<IngestEventsRequest> batches, int streams, int inFlight, CancellationToken cancellationToken)
    {
        await using var dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { MaxAutoPrepare = 8 }.ConnectionString);
        await using (var setup = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            await using var create = new NpgsqlCommand("""
                CREATE TABLE IF NOT EXISTS events (seq bigserial PRIMARY KEY, tenant_id text NOT NULL, event_id text NOT NULL,
                    contact_id text NOT NULL, appended_at timestamptz NOT NULL, payload bytea NOT NULL, UNIQUE (tenant_id, event_id));
                CREATE INDEX IF NOT EXISTS events_by_contact ON events (tenant_id, contact_id, appended_at);
                CREATE INDEX IF NOT EXISTS events_by_appended_at ON events (appended_at);
                """, setup);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        return await AppendAsync(batches, streams, inFlight, PostgreSqlWriters, cancellationToken, async (group, token) =>
        {
            var count = group.Sum(b => b.Events.Count);
            var eventIds = new string[count];
            var contactIds = new string[count];
            var payloads = new byte[count][];
            var row = 0;
            foreach (var batch in group)
            {
                foreach (var e in batch.Events)
                {
                    eventIds[row] = e.EventId;
                    contactIds[row] = e.ContactId;
                    payloads[row++] = e.ToByteArray();
                }
            }

            await using var connection = await dataSource.OpenConnectionAsync(token);
            try
            {
                await InsertAsync(connection, skipTaken: false, eventIds, contactIds, payloads, token);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
            {
                await InsertAsync(connection, skipTaken: true, eventIds, contactIds, payloads, token);
            }
        });
    }

    private static async Task InsertAsync(NpgsqlConnection connection, bool skipTaken, string[] eventIds, string[] contactIds, byte[][] payloads,
        CancellationToken cancellationToken)
    {
        await using var insert = new NpgsqlCommand($"""
            INSERT INTO events (tenant_id, event_id, contact_id, appended_at, payload)
            SELECT @tenant, e.event_id, e.contact_id, @appended, e.payload FROM unnest(@event_ids, @contact_ids, @payloads) AS e(event_id, contact_id, payload)
            {(skipTaken ? "ON CONFLICT (tenant_id, event_id) DO NOTHING" : "")};
            """, connection);
        insert.Parameters.Add(new NpgsqlParameter<string>("tenant", Workload.Tenant));
        insert.Parameters.Add(new NpgsqlParameter<DateTime>("appended", DateTime.UtcNow));
        insert.Parameters.Add(new NpgsqlParameter<string[]>("event_ids", eventIds));
        insert.Parameters.Add(new NpgsqlParameter<string[]>("contact_ids", contactIds));
        insert.Parameters.Add(new NpgsqlParameter("payloads", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = payloads });
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Streams × in-flight senders hand batches to the writers through one queue; each writer takes every batch waiting
    /// (up to <see cref="MaxBatchesPerCommit"/>), commits them together, and acknowledges them.
    /// </summary>
    private static async Task<Pass> AppendAsync(IReadOnlyList<IngestEventsRequest> batches, int streams, int inFlight, int writers,
        CancellationToken cancellationToken, Func<List<IngestEventsRequest>, CancellationToken, Task> commit)
    {
        var queue = System.Threading.Channels.Channel.CreateUnbounded<(IngestEventsRequest Batch, TaskCompletionSource Done)>(new System.Threading.Channels.UnboundedChannelOptions { SingleWriter = false });
        var writing = Enumerable.Range(0, writers).Select(_ => Task.Run(async () =>
        {
            var group = new List<IngestEventsRequest>(MaxBatchesPerCommit);
            var done = new List<TaskCompletionSource>(MaxBatchesPerCommit);
            while (await queue.Reader.WaitToReadAsync(cancellationToken))
            {
                group.Clear();
                done.Clear();
                while (group.Count < MaxBatchesPerCommit && queue.Reader.TryRead(out var next))
                {
                    group.Add(next.Batch);
                    done.Add(next.Done);
                }

                try
                {
                    await commit(group, cancellationToken);
                    done.ForEach(d => d.TrySetResult());
                }
                catch (Exception e)
                {
                    done.ForEach(d => d.TrySetException(e));
                }
            }
        }, cancellationToken)).ToArray();

        var latencies = new double[batches.Count];
        var next = -1;
        var start = Stopwatch.GetTimestamp();
        try
        {
            await Task.WhenAll(Enumerable.Range(0, streams * inFlight).Select(_ => Task.Run(async () =>
            {
                int index;
                while ((index = Interlocked.Increment(ref next)) < batches.Count)
                {
                    var since = Stopwatch.GetTimestamp();
                    var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    await queue.Writer.WriteAsync((batches[index], done), cancellationToken);
                    await done.Task;
                    latencies[index] = Stopwatch.GetElapsedTime(since).TotalMilliseconds;
                }
            }, cancellationToken)));
        }
        finally
        {
            queue.Writer.TryComplete();
            await Task.WhenAll(writing);
        }

        return new Pass(batches.Sum(b => b.Events.Count), Stopwatch.GetElapsedTime(start).TotalSeconds, Stats.Of(latencies));
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
