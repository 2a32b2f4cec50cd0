using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace Handoff.Server.Hosting;

/// <summary>Healthy when the silo is active and its store answers a query.</summary>
public sealed class SiloHealthCheck(ISiloStatusOracle silo, IOptions<HandoffServerOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (silo.CurrentStatus != SiloStatus.Active)
        {
            return HealthCheckResult.Unhealthy($"Silo is {silo.CurrentStatus}.");
        }

        try
        {
            await using var connection = new SqliteConnection(Storage.SqliteDatabase.ConnectionString(options.Value.Storage.SqlitePath));
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1;";
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (SqliteException e)
        {
            return HealthCheckResult.Unhealthy("Storage does not answer.", e);
        }
    }
}
