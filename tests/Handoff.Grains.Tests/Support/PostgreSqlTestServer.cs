using System.Diagnostics;
using System.Globalization;
using Handoff.Storage;
using Npgsql;

namespace Handoff.Tests.Support;

/// <summary>
/// A real PostgreSQL server for the tests. With HANDOFF_TEST_POSTGRES set (a connection string of a user that may
/// CREATE DATABASE; .ci/run sets it), that server. Otherwise a throwaway cluster that this test process starts once,
/// on first use: initdb into a temporary folder and pg_ctl start on a free loopback port with trust authentication,
/// stopped and deleted when the process exits. initdb and pg_ctl must be on PATH (Debian: postgresql-15); as root
/// they run as the postgres user.
/// Each caller gets a database of its own (<see cref="CreateDatabaseAsync"/>), so tests never see each other's rows.
/// Compiled into Handoff.Grains.Tests and Handoff.Server.Tests.
/// </summary>
public sealed class PostgreSqlTestServer
{
    public const string Variable = "HANDOFF_TEST_POSTGRES";

    private static readonly Lazy<Task<PostgreSqlTestServer>> Shared = new(StartAsync);

    private PostgreSqlTestServer(string adminConnectionString, string description)
    {
        AdminConnectionString = adminConnectionString;
        Description = description;
    }

    /// <summary>A connection string to the server's maintenance database, as a user that may create databases.</summary>
    public string AdminConnectionString { get; }

    /// <summary>Where the server came from, for failure messages.</summary>
    public string Description { get; }

    /// <summary>The server of this test process (started on first call).</summary>
    public static Task<PostgreSqlTestServer> GetAsync() => Shared.Value;

    /// <summary>
    /// A new, empty database (handoff_&lt;guid&gt;); with <paramref name="applySchema"/> it gets the schema through
    /// <see cref="PostgreSqlDatabase.ApplySchema"/>, the code the host runs for ApplySchema=true.
    /// Returns its connection string, without the host's pool defaults (the host and the test wiring add those).
    /// </summary>
    public async Task<string> CreateDatabaseAsync(bool applySchema = true)
    {
        var name = $"handoff_{Guid.NewGuid():N}";
        await using (var admin = new NpgsqlConnection(AdminConnectionString))
        {
            await admin.OpenAsync();
            await using var create = admin.CreateCommand();
            create.CommandText = $"CREATE DATABASE {name};";
            await create.ExecuteNonQueryAsync();
        }

        var connectionString = new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name }.ConnectionString;
        if (applySchema)
        {
            PostgreSqlDatabase.ApplySchema(connectionString);
        }

        return connectionString;
    }

    /// <summary>
    /// Drops a database made by <see cref="CreateDatabaseAsync"/>, ending whatever sessions are left in it (idle pooled
    /// connections of silos that have stopped).
    /// </summary>
    public async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        await using var admin = new NpgsqlConnection(AdminConnectionString);
        await admin.OpenAsync();
        await using var drop = admin.CreateCommand();
        drop.CommandText = $"DROP DATABASE IF EXISTS {name} WITH (FORCE);";
        await drop.ExecuteNonQueryAsync();
    }

    private static async Task<PostgreSqlTestServer> StartAsync()
    {
        var given = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrWhiteSpace(given))
        {
            var server = new PostgreSqlTestServer(given, $"{Variable} ({PostgreSqlDatabase.Redact(given)})");
            await server.WaitUntilAnswersAsync(TimeSpan.FromSeconds(30));
            return server;
        }

        return await ThrowawayCluster.StartAsync();
    }

    private Task WaitUntilAnswersAsync(TimeSpan patience)
    {
        var lastRefusal = "no answer yet";
        return Wait.UntilAsync(
            async () =>
            {
                try
                {
                    await using var connection = new NpgsqlConnection(AdminConnectionString);
                    await connection.OpenAsync();
                    return true;
                }
                catch (NpgsqlException e)
                {
                    lastRefusal = e.Message;
                    return false;
                }
            },
            () => $"the test PostgreSQL server ({Description}) to answer; it said: {lastRefusal}",
            patience);
    }

    /// <summary>
    /// initdb + pg_ctl in a temporary folder. A watchdog process stops the server and removes the folder once this test
    /// process has exited, however it exits (a test host that is killed runs no exit handler).
    /// </summary>
    private static class ThrowawayCluster
    {
        // Waits for the test process to end, then stops the server (immediate shutdown: nothing in it is worth keeping)
        // and deletes the folder. Its own output goes nowhere, so that it holds no pipe of the test run open.
        private const string Watchdog = """
            exec </dev/null >/dev/null 2>&1
            while kill -0 "$1" 2>/dev/null; do sleep 1; done
            if [ "$2" = root ]; then runuser -u postgres -- pg_ctl -D "$3/data" -m immediate -w stop
            else pg_ctl -D "$3/data" -m immediate -w stop; fi
            rm -rf "$3"
            """;

        public static async Task<PostgreSqlTestServer> StartAsync()
        {
            var folder = Directory.CreateTempSubdirectory("handoff-pg-").FullName;
            var data = Path.Combine(folder, "data");
            var log = Path.Combine(folder, "server.log");
            var asPostgres = Environment.UserName == "root";
            if (asPostgres)
            {
                // PostgreSQL refuses to run as root: the folder (data, socket, log) belongs to the postgres user.
                await RunAsync("chown", ["postgres:", folder], asPostgres: false);
            }

            await RunAsync("initdb", ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"], asPostgres);
            var port = FreePorts.One();
            await RunAsync(
                "pg_ctl",
                ["-D", data, "-l", log, "-w", "-t", "60", "-o", $"-c listen_addresses=127.0.0.1 -p {port} -k {folder} -c max_connections=300", "start"],
                asPostgres);
            using (Process.Start(new ProcessStartInfo(
                       "setsid",
                       ["sh", "-c", Watchdog, "watchdog", Environment.ProcessId.ToString(CultureInfo.InvariantCulture), asPostgres ? "root" : "user", folder])
            { UseShellExecute = false }))
            {
            }

            var server = new PostgreSqlTestServer(
                $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres",
                $"throwaway cluster in {folder} on 127.0.0.1:{port}");
            await server.WaitUntilAnswersAsync(TimeSpan.FromSeconds(30));
            return server;
        }

        private static async Task RunAsync(string program, string[] arguments, bool asPostgres)
        {
            var start = new ProcessStartInfo(asPostgres ? "runuser" : program)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            if (asPostgres)
            {
                foreach (var prefix in new[] { "-u", "postgres", "--", program })
                {
                    start.ArgumentList.Add(prefix);
                }
            }

            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start) ?? throw new InvalidOperationException($"Cannot start {program}.");
            // pg_ctl start leaves the server running with our pipes inherited: read to the end only what exits.
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            await process.WaitForExitAsync(timeout.Token);
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException(
                    $"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await error} {await output}" +
                    " (PostgreSQL 15's initdb and pg_ctl must be on PATH, or set " + Variable + ")");
            }
        }
    }
}
