using Grpc.Health.V1;
using Handoff.Server.Tests.Support;
using Handoff.Tests.Support;
using Npgsql;
using static Grpc.Health.V1.HealthCheckResponse.Types;

namespace Handoff.Server.Tests.Observability;

/// <summary>
/// The standard gRPC health service follows the store: NOT_SERVING while the database does not answer, SERVING again
/// once it does, without a restart. (NOT_SERVING while draining: <see cref="ShutdownTests"/>.)
/// </summary>
[Collection(ObservabilityCollection.Name)]
public sealed class HealthTests
{
    [Fact]
    public async Task Health_is_NOT_SERVING_while_PostgreSQL_refuses_connections_and_SERVING_again_when_it_answers()
    {
        var server = await PostgreSqlTestServer.GetAsync();
        var database = await server.CreateDatabaseAsync();
        try
        {
            var host = await ServerHost.StartOnPostgreSqlAsync(database);
            try
            {
                var health = new Health.HealthClient(host.Channel);
                await UntilAsync(health, ServingStatus.Serving, "SERVING on a database that answers");

                await AllowConnectionsAsync(server, database, allow: false);
                await UntilAsync(health, ServingStatus.NotServing, "NOT_SERVING while the database refuses connections");

                await AllowConnectionsAsync(server, database, allow: true);
                await UntilAsync(health, ServingStatus.Serving, "SERVING again once the database answers");
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
    public async Task Health_is_NOT_SERVING_when_the_SQLite_file_is_gone()
    {
        await using var host = await ServerHost.StartAsync();
        var health = new Health.HealthClient(host.Channel);
        await new TestTenant(host).UpsertContactAsync("c-1");
        await UntilAsync(health, ServingStatus.Serving, "SERVING on its SQLite file");

        // The volume went away, or someone deleted the file: what the grains stored is no longer there.
        foreach (var file in new[] { host.DatabasePath, host.DatabasePath + "-wal", host.DatabasePath + "-shm" })
        {
            File.Delete(file);
        }

        await UntilAsync(health, ServingStatus.NotServing, "NOT_SERVING without its SQLite file");
        Assert.False(File.Exists(host.DatabasePath), "The health check created an empty database in place of the lost one.");
    }

    /// <summary>Closes the database to new sessions and ends the open ones (the host's pools), or opens it again.</summary>
    private static async Task AllowConnectionsAsync(PostgreSqlTestServer server, string connectionString, bool allow)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        await using var admin = new NpgsqlConnection(server.AdminConnectionString);
        await admin.OpenAsync();
        await using var command = admin.CreateCommand();
        command.CommandText = allow
            ? $"ALTER DATABASE {name} ALLOW_CONNECTIONS true;"
            : $"ALTER DATABASE {name} ALLOW_CONNECTIONS false; SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}';";
        await command.ExecuteNonQueryAsync();
    }

    private static Task UntilAsync(Health.HealthClient health, ServingStatus expected, string what)
    {
        var status = ServingStatus.Unknown;
        return Wait.UntilAsync(
            async () => (status = (await health.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow + Streams.Patience)).Status) == expected,
            () => $"{what}; the health service says {status}");
    }
}
