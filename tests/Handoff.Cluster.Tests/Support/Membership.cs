using Npgsql;

namespace Handoff.Cluster.Tests.Support;

/// <summary>What the cluster's membership table says about each silo (Orleans SiloStatus numbers).</summary>
public static class Membership
{
    public const int Active = 3;
    public const int Dead = 6;

    /// <summary>Status of the newest incarnation of the silo on <paramref name="siloPort"/>.</summary>
    public static async Task<int?> StatusAsync(string connectionString, string clusterId, int siloPort)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT status FROM orleans_membership WHERE deployment_id = @cluster AND port = @port ORDER BY generation DESC LIMIT 1",
            connection);
        command.Parameters.AddWithValue("cluster", clusterId);
        command.Parameters.AddWithValue("port", siloPort);
        return await command.ExecuteScalarAsync() is int status ? status : null;
    }

    public static Task WaitForStatusAsync(string connectionString, string clusterId, int siloPort, int status, TimeSpan timeout) =>
        Wait.UntilAsync(
            async () => await StatusAsync(connectionString, clusterId, siloPort) == status,
            $"the silo on port {siloPort} to reach membership status {status}",
            timeout);
}
