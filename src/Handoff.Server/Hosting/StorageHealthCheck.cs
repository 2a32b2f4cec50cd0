using System.Data.Common;
using Handoff.Server.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Runtime;

namespace Handoff.Server.Hosting;

/// <summary>Healthy when the silo is active, not shutting down, and its store (whichever is configured) answers a query.</summary>
public sealed class SiloHealthCheck(ISiloStatusOracle silo, IOptions<HandoffServerOptions> options, InFlightCalls calls) : IHealthCheck
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

        try
        {
            await using var connection = Connect(options.Value.Storage);
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1;";
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is DbException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("Storage does not answer.", e);
        }
    }

    /// <summary>A connection to the configured store, from the same pool the grain storage uses.</summary>
    private static DbConnection Connect(StorageOptions storage) => storage.Provider switch
    {
        StorageProvider.PostgreSql => new NpgsqlConnection(PostgreSqlDatabase.ConnectionString(storage.PostgreSqlConnectionString)),
        _ => new SqliteConnection(SqliteDatabase.ConnectionString(storage.SqlitePath)),
    };
}
