using Handoff.Tests.Support;
using Npgsql;

namespace Handoff.Server.Tests.Support;

/// <summary>
/// A PostgreSQL database the host reaches as a role of its own, which the test can make the server refuse (its
/// sessions ended, new ones refused with 53300) and admit again: a database outage as production meets one.
/// Connection limits do not bind a superuser, hence the role.
/// </summary>
public sealed class RefusingDatabase : IAsyncDisposable
{
    private readonly PostgreSqlTestServer server;
    private readonly string database;
    private readonly string role;

    private RefusingDatabase(PostgreSqlTestServer server, string database, string role)
    {
        this.server = server;
        this.database = database;
        this.role = role;
        ConnectionString = new NpgsqlConnectionStringBuilder(database) { Username = role }.ConnectionString;
    }

    /// <summary>The host's connection string: the role, on a database without the schema (start the host with ApplySchema=true).</summary>
    public string ConnectionString { get; }

    public static async Task<RefusingDatabase> CreateAsync()
    {
        var server = await PostgreSqlTestServer.GetAsync();
        var role = $"handoff_app_{Guid.NewGuid():N}"[..24];
        await ExecuteAsync(server.AdminConnectionString, $"CREATE ROLE {role} LOGIN;");
        var database = await server.CreateDatabaseAsync(applySchema: false);
        await ExecuteAsync(server.AdminConnectionString, $"ALTER DATABASE {new NpgsqlConnectionStringBuilder(database).Database} OWNER TO {role};");
        return new RefusingDatabase(server, database, role);
    }

    /// <summary>The server ends the role's sessions and refuses new ones.</summary>
    public async Task RefuseAsync()
    {
        await ExecuteAsync(server.AdminConnectionString, $"ALTER ROLE {role} CONNECTION LIMIT 0;");
        await ExecuteAsync(server.AdminConnectionString, $"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '{role}';");
    }

    public Task AdmitAsync() => ExecuteAsync(server.AdminConnectionString, $"ALTER ROLE {role} CONNECTION LIMIT -1;");

    public async ValueTask DisposeAsync()
    {
        await server.DropDatabaseAsync(database);
        await ExecuteAsync(server.AdminConnectionString, $"DROP ROLE IF EXISTS {role};");
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
