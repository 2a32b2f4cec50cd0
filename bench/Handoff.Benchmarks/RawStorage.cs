using System.Data.Common;
using System.Diagnostics;
using Google.Protobuf;
using Handoff.Protos.V1;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Handoff.Benchmarks;

/// <summary>
/// The raw storage limit: the same batches appended with no grain work, one multi-row INSERT (one transaction) per
/// batch into an events table keyed by event id, from as many concurrent writers as the host has streams. A batch's
/// latency is that of its INSERT, commit included. SQLite: WAL and synchronous=FULL, as the host's store; PostgreSQL:
/// the server's defaults (synchronous commit) with the host's Npgsql defaults (statement preparation).
/// </summary>
public static class RawStorage
{
    private const string Columns = "event_id, contact_id, type, occur_time, payload";

    public static async Task<Pass> SqliteAsync(string path, IReadOnlyList<IngestEventsRequest> batches, int writers, CancellationToken cancellationToken)
    {
        var connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, DefaultTimeout = 120 }.ToString();
        await using (var setup = new SqliteConnection(connectionString))
        {
            await setup.OpenAsync(cancellationToken);
            await ExecuteAsync(setup, """
                PRAGMA journal_mode=WAL;
                CREATE TABLE IF NOT EXISTS events (event_id TEXT NOT NULL PRIMARY KEY, contact_id TEXT NOT NULL, type INTEGER NOT NULL,
                    occur_time INTEGER NOT NULL, payload BLOB NOT NULL);
                """);
        }

        return await AppendAsync(batches, writers, cancellationToken, async () =>
        {
            var connection = new SqliteConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            // synchronous is per connection; FULL is the host's setting too (docs/storage.md).
            await ExecuteAsync(connection, "PRAGMA synchronous=FULL;");
            return connection;
        }, "$");
    }

    public static async Task<Pass> PostgreSqlAsync(string connectionString, IReadOnlyList<IngestEventsRequest> batches, int writers, CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { MaxAutoPrepare = 32, AutoPrepareMinUsages = 2 };
        await using (var setup = new NpgsqlConnection(builder.ConnectionString))
        {
            await setup.OpenAsync(cancellationToken);
            await ExecuteAsync(setup, """
                CREATE TABLE IF NOT EXISTS events (event_id text NOT NULL PRIMARY KEY, contact_id text NOT NULL, type integer NOT NULL,
                    occur_time timestamptz NOT NULL, payload bytea NOT NULL);
                """);
        }

        return await AppendAsync(batches, writers, cancellationToken, async () =>
        {
            var connection = new NpgsqlConnection(builder.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            return connection;
        }, "@");
    }

    private static async Task<Pass> AppendAsync(IReadOnlyList<IngestEventsRequest> batches, int writers, CancellationToken cancellationToken,
        Func<Task<DbConnection>> open, string prefix)
    {
        var latencies = new double[batches.Count];
        var next = -1;
        var start = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(_ => Task.Run(async () =>
        {
            await using var connection = await open();
            int index;
            while ((index = Interlocked.Increment(ref next)) < batches.Count)
            {
                var since = Stopwatch.GetTimestamp();
                var events = batches[index].Events;
                await using var insert = connection.CreateCommand();
                insert.CommandText = $"INSERT INTO events ({Columns}) VALUES " +
                    string.Join(", ", Enumerable.Range(0, events.Count).Select(n => $"({prefix}e{n}, {prefix}c{n}, {prefix}t{n}, {prefix}o{n}, {prefix}p{n})"));
                for (var n = 0; n < events.Count; n++)
                {
                    var e = events[n];
                    Add(insert, $"{prefix}e{n}", e.EventId);
                    Add(insert, $"{prefix}c{n}", e.ContactId);
                    Add(insert, $"{prefix}t{n}", (int)e.Type);
                    Add(insert, $"{prefix}o{n}", connection is SqliteConnection ? e.OccurTime.ToDateTimeOffset().ToUnixTimeMilliseconds() : e.OccurTime.ToDateTimeOffset());
                    Add(insert, $"{prefix}p{n}", e.ToByteArray());
                }

                var rows = await insert.ExecuteNonQueryAsync(cancellationToken);
                if (rows != events.Count)
                {
                    throw new InvalidOperationException($"Batch {batches[index].BatchId}: {rows} of {events.Count} rows stored.");
                }

                latencies[index] = Stopwatch.GetElapsedTime(since).TotalMilliseconds;
            }
        }, cancellationToken)));
        return new Pass(batches.Sum(b => b.Events.Count), Stopwatch.GetElapsedTime(start).TotalSeconds, Stats.Of(latencies));
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
