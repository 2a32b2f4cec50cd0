using System.Data.Common;
using Handoff.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using Orleans.Runtime;

namespace Handoff.Server.Hosting;

/// <summary>
/// Healthy when the silo is active, not shutting down, and its store (whichever is configured) answers a query; a store
/// plugged in through <see cref="HandoffServer.Build"/> is not the host's to probe.
/// </summary>
public sealed class SiloHealthCheck(ISiloStatusOracle silo, HostStore store, InFlightCalls calls) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (calls.Draining)
        {
            return HealthCheckResult.Unhealthy("Shutting down.");
        }

        if (silo.CurrentStatus != SiloStatus.Active)
        {
            return HealthCheckResult.Unhealthy($"Silo is {silo.CurrentStatus}.");
        }

        if (store.Configured is not { } storage)
        {
            return HealthCheckResult.Healthy();
        }

        var (connection, query) = Probe(storage);

        try
        {
            await using (connection)
            {
                await connection.OpenAsync(cancellationToken);
                await using var command = connection.CreateCommand();
                command.CommandText = query;
                await command.ExecuteScalarAsync(cancellationToken);
            }

            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is DbException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("Storage does not answer.", e);
        }
    }

    /// <summary>
    /// A connection to the configured store and a query that only succeeds when the store is there. PostgreSQL: from the pool the grain storage uses; connecting to the database proves it.
    /// SQLite: the file itself, opened afresh and never created (a pooled connection keeps a deleted file open, and an
    /// empty new file would answer "SELECT 1" too), with a query that reads the file's first page.
    /// </summary>
    private static (DbConnection Connection, string Query) Probe(StorageOptions storage) => storage.Provider switch
    {
        StorageProvider.PostgreSql => (new NpgsqlConnection(PostgreSqlDatabase.ConnectionString(storage.PostgreSqlConnectionString)), "SELECT 1;"),
        StorageProvider.Sqlite => (new SqliteConnection(new SqliteConnectionStringBuilder(SqliteDatabase.ConnectionString(storage.SqlitePath))
        {
            Mode = SqliteOpenMode.ReadWrite,
            Pooling = false,
        }.ToString()), "SELECT COUNT(*) FROM sqlite_master;"),
        _ => throw new InvalidOperationException($"Handoff:Server:Storage:Provider: '{storage.Provider}' is not a store."),
    };
}
