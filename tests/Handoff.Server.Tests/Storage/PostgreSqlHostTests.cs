using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Grpc.Health.V1;
using Handoff.Protos.V1;
using Handoff.Server.Hosting;
using Handoff.Server.Tests.Support;
using Handoff.Storage;
using Handoff.Tests.Support;
using Npgsql;

namespace Handoff.Server.Tests.Storage;

/// <summary>
/// The real host on a real PostgreSQL server (see <see cref="PostgreSqlTestServer"/>): started with
/// Handoff:Server:Storage:Provider=PostgreSql, it applies its schema on request, keeps what it acknowledged across a
/// restart, and refuses to start, quickly and saying why, on a database it cannot use.
/// </summary>
public sealed class PostgreSqlHostTests
{
    /// <summary>How long a refused start-up may take: the check's connect timeout is 5 s by default.</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task The_host_applies_its_schema_on_request_and_serves_what_it_stored_after_a_restart()
    {
        var server = await PostgreSqlTestServer.GetAsync();
        var database = await server.CreateDatabaseAsync(applySchema: false);
        try
        {
            RaisedCard raised;
            string tenantId;
            var host = await ServerHost.StartOnPostgreSqlAsync(database, "Handoff:Server:Storage:ApplySchema=true");
            try
            {
                var tenant = new TestTenant(host);
                tenantId = tenant.Id;
                raised = await tenant.RaiseCardAsync("c-brandon", owner: "alice");
                var health = await new Health.HealthClient(host.Channel).CheckAsync(new HealthCheckRequest());
                Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
            }
            finally
            {
                await host.DisposeAsync();
            }

            // A new process on the same database, this time without ApplySchema: the schema is there.
            host = await ServerHost.StartOnPostgreSqlAsync(database);
            try
            {
                var contact = (await host.Contacts.GetContactAsync(new GetContactRequest { TenantId = tenantId, ContactId = "c-brandon" })).Contact;
                Assert.Equal(("alice", raised.Card.CardId, CardStatus.Active), (contact.OwnerUserId, contact.Card.CardId, contact.Card.Status));
                var inbox = await host.Notifications.ListNotificationsAsync(new ListNotificationsRequest { TenantId = tenantId, Inbox = TestTenant.UserInbox("alice") });
                Assert.Equal(["c-brandon"], inbox.Notifications.Select(n => n.ContactId));
            }
            finally
            {
                await host.DisposeAsync();
            }

            // Both silos joined the cluster through the database's membership table, and left it as dead (6) on stopping.
            Assert.Equal([6, 6], (await QueryAsync(database, "SELECT status FROM orleans_membership")).Select(Convert.ToInt32));
        }
        finally
        {
            await server.DropDatabaseAsync(database);
        }
    }

    [Fact]
    public async Task A_server_that_refuses_connections_stops_the_start_up_at_once_naming_the_setting_and_never_the_password()
    {
        var refused = $"Host=127.0.0.1;Port={ClosedPort()};Database=handoff;Username=handoff;Password=s3cret-pw";

        var (error, elapsed) = await FailedStartAsync(ServerHost.PostgreSqlSettings(refused));

        Assert.StartsWith("Handoff:Server:Storage:PostgreSqlConnectionString: cannot connect to 127.0.0.1:", error.Message);
        Assert.Contains("(Connection refused)", error.Message);
        Assert.DoesNotContain("s3cret-pw", error.ToString());
        Assert.True(elapsed < Deadline, $"took {elapsed}");
    }

    [Fact]
    public async Task A_server_that_never_answers_stops_the_start_up_after_the_connect_timeout()
    {
        // Accepts the connection and then says nothing, like a firewall that swallows packets or a hung server.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;

        var (error, elapsed) = await FailedStartAsync(ServerHost.PostgreSqlSettings(
            $"Host=127.0.0.1;Port={port};Database=handoff;Username=handoff", "Handoff:Server:Storage:ConnectTimeout=00:00:01"));

        Assert.Equal($"Handoff:Server:Storage:PostgreSqlConnectionString: cannot connect to 127.0.0.1:{port} (no answer within 1 s)", error.Message.Split(". Check")[0]);
        Assert.True(elapsed < TimeSpan.FromSeconds(10), $"took {elapsed}");
    }

    [Fact]
    public async Task A_database_without_the_schema_stops_the_start_up_with_the_command_that_applies_it()
    {
        var server = await PostgreSqlTestServer.GetAsync();
        var database = await server.CreateDatabaseAsync(applySchema: false);
        try
        {
            var (error, elapsed) = await FailedStartAsync(ServerHost.PostgreSqlSettings(database));

            var name = new NpgsqlConnectionStringBuilder(database).Database;
            Assert.StartsWith($"Handoff:Server:Storage:PostgreSqlConnectionString: database \"{name}\" on 127.0.0.1:", error.Message);
            Assert.Contains("has no Handoff schema", error.Message);
            Assert.Contains($"psql -v ON_ERROR_STOP=1 -1 -h 127.0.0.1 -p {new NpgsqlConnectionStringBuilder(database).Port} -U postgres -d {name} -f deploy/postgresql/handoff-postgresql.sql", error.Message);
            Assert.EndsWith("or start once with --Handoff:Server:Storage:ApplySchema=true", error.Message);
            Assert.True(elapsed < Deadline, $"took {elapsed}");
        }
        finally
        {
            await server.DropDatabaseAsync(database);
        }
    }

    [Fact]
    public async Task A_missing_or_malformed_connection_string_is_refused_before_any_connection()
    {
        var (empty, _) = await FailedStartAsync(ServerHost.PostgreSqlSettings(""));
        Assert.StartsWith("Handoff:Server:Storage:PostgreSqlConnectionString is empty", empty.Message);

        var (malformed, _) = await FailedStartAsync(ServerHost.PostgreSqlSettings("Host=127.0.0.1;Password=s3cret-pw;Colour=blue"));
        Assert.Equal("Handoff:Server:Storage:PostgreSqlConnectionString: not a valid Npgsql connection string (Couldn't set colour (Parameter 'colour'))", malformed.Message);
        Assert.DoesNotContain("s3cret-pw", malformed.ToString());
    }

    [Fact]
    public async Task The_schema_script_can_run_twice_and_from_two_silos_at_once()
    {
        var server = await PostgreSqlTestServer.GetAsync();
        var database = await server.CreateDatabaseAsync(applySchema: false);
        try
        {
            // Two silos starting together with ApplySchema=true: the script's advisory lock makes the second wait.
            await Task.WhenAll(Task.Run(() => PostgreSqlDatabase.ApplySchema(database)), Task.Run(() => PostgreSqlDatabase.ApplySchema(database)));
            var tables = await QueryAsync(database, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'");
            var queries = await QueryAsync(database, "SELECT QueryKey FROM OrleansQuery ORDER BY QueryKey");

            // And once more later, over a database in use.
            await QueryAsync(database, "INSERT INTO orleans_membership_version (deployment_id, version) VALUES ('in-use', 7)");
            PostgreSqlDatabase.ApplySchema(database);

            Assert.Equal(tables, await QueryAsync(database, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"));
            Assert.Equal(queries, await QueryAsync(database, "SELECT QueryKey FROM OrleansQuery ORDER BY QueryKey"));
            Assert.Equal(21, queries.Count);
            Assert.Equal([1, 2], (await QueryAsync(database, "SELECT version FROM handoff_schema ORDER BY version")).Select(Convert.ToInt32));
            Assert.Equal([7], (await QueryAsync(database, "SELECT version FROM orleans_membership_version")).Select(Convert.ToInt32));

            // The host accepts the result as it is.
            Assert.Equal(PostgreSqlDatabase.ConnectionString(database), PostgreSqlDatabase.EnsureReady(database, applySchema: false, TimeSpan.FromSeconds(5)));
        }
        finally
        {
            await server.DropDatabaseAsync(database);
        }
    }

    [Fact]
    public void Pool_and_prepare_defaults_are_added_only_where_the_connection_string_says_nothing()
    {
        var defaults = new NpgsqlConnectionStringBuilder(PostgreSqlDatabase.ConnectionString("Host=db;Database=handoff"));
        Assert.Equal((30, 32, 2, true), (defaults.MaxPoolSize, defaults.MaxAutoPrepare, defaults.AutoPrepareMinUsages, defaults.NoResetOnClose));

        var given = new NpgsqlConnectionStringBuilder(PostgreSqlDatabase.ConnectionString("Host=db;MaxPoolSize=7;Max Auto Prepare=0;auto prepare min usages=9;No Reset On Close=false"));
        Assert.Equal((7, 0, 9, false), (given.MaxPoolSize, given.MaxAutoPrepare, given.AutoPrepareMinUsages, given.NoResetOnClose));

        Assert.Equal("Host=db;Username=u;Password=***", PostgreSqlDatabase.Redact("Host=db;Username=u;Password=s3cret-pw"));
    }

    /// <summary>Starts the real host and expects it to refuse; returns the error and how long the refusal took.</summary>
    private static async Task<(HandoffStartupException Error, TimeSpan Elapsed)> FailedStartAsync(string[] settings)
    {
        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<HandoffStartupException>(async () =>
        {
            var host = await ServerHost.StartAsync(null, settings);
            await host.DisposeAsync();
        });
        return (error, clock.Elapsed);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<List<object>> QueryAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<object>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetValue(0));
        }

        return values;
    }
}
