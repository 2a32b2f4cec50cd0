using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace Handoff.Benchmarks;

/// <summary>
/// The PostgreSQL server of a run. With HANDOFF_BENCH_POSTGRES set (a connection string of a user that may CREATE
/// DATABASE), that server. Otherwise a throwaway cluster, started as the test suite's is: initdb into a temporary
/// folder, pg_ctl start on a free loopback port with trust authentication and PostgreSQL's default settings (fsync and
/// synchronous_commit on: a commit is durable), stopped and deleted at the end, or by a watchdog if this process is
/// killed. initdb and pg_ctl must be on PATH (Debian: postgresql-15); as root they run as the postgres user.
/// Every run gets a database of its own.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    public const string Variable = "HANDOFF_BENCH_POSTGRES";

    private const string Watchdog = """
        exec </dev/null >/dev/null 2>&1
        while kill -0 "$1" 2>/dev/null; do sleep 1; done
        if [ "$2" = root ]; then runuser -u postgres -- pg_ctl -D "$3/data" -m immediate -w stop
        else pg_ctl -D "$3/data" -m immediate -w stop; fi
        rm -rf "$3"
        """;

    private readonly string? folder;
    private readonly List<string> databases = [];

    private PostgresServer(string adminConnectionString, string description, string? folder)
    {
        AdminConnectionString = adminConnectionString;
        Description = description;
        this.folder = folder;
    }

    public string AdminConnectionString { get; }

    public string Description { get; }

    public string Version { get; private set; } = "";

    public static async Task<PostgresServer> StartAsync()
    {
        var given = Environment.GetEnvironmentVariable(Variable);
        var server = string.IsNullOrWhiteSpace(given)
            ? await StartThrowawayAsync()
            : new PostgresServer(given, $"{Variable} (host {new NpgsqlConnectionStringBuilder(given).Host})", folder: null);
        await using var connection = new NpgsqlConnection(server.AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SHOW server_version;", connection);
        server.Version = (string)(await command.ExecuteScalarAsync())!;
        return server;
    }

    /// <summary>A new, empty database; its connection string (the host adds its own pool defaults).</summary>
    public async Task<string> CreateDatabaseAsync(string purpose)
    {
        var name = $"handoff_bench_{purpose}_{Guid.NewGuid():N}"[..40];
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name};", connection);
            await create.ExecuteNonQueryAsync();
        }

        databases.Add(name);
        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name }.ConnectionString;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (folder is not null)
        {
            await RunAsync("pg_ctl", ["-D", Path.Combine(folder, "data"), "-m", "immediate", "-w", "stop"], Environment.UserName == "root");
            Directory.Delete(folder, recursive: true);
            return;
        }

        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        foreach (var name in databases)
        {
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE);", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }

    private static async Task<PostgresServer> StartThrowawayAsync()
    {
        var folder = Directory.CreateTempSubdirectory("handoff-bench-pg-").FullName;
        var data = Path.Combine(folder, "data");
        var asPostgres = Environment.UserName == "root";
        if (asPostgres)
        {
            await RunAsync("chown", ["postgres:", folder], asPostgres: false);
        }

        await RunAsync("initdb", ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"], asPostgres);
        var port = HostProcess.FreePort();
        await RunAsync(
            "pg_ctl",
            ["-D", data, "-l", Path.Combine(folder, "server.log"), "-w", "-t", "60", "-o", $"-c listen_addresses=127.0.0.1 -p {port} -k {folder} -c max_connections=300", "start"],
            asPostgres);
        using (Process.Start(new ProcessStartInfo(
                   "setsid",
                   ["sh", "-c", Watchdog, "watchdog", Environment.ProcessId.ToString(CultureInfo.InvariantCulture), asPostgres ? "root" : "user", folder])
        { UseShellExecute = false }))
        {
        }

        return new PostgresServer($"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres", $"throwaway initdb cluster on 127.0.0.1:{port}", folder);
    }

    private static async Task RunAsync(string program, string[] arguments, bool asPostgres)
    {
        var start = new ProcessStartInfo(asPostgres ? "runuser" : program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (asPostgres ? ["-u", "postgres", "--", program] : Array.Empty<string>()).Concat(arguments))
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
                $" (PostgreSQL's initdb and pg_ctl must be on PATH, or set {Variable})");
        }
    }
}
