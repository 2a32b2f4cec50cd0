using System.Data.Common;
using System.Globalization;
using System.Net.Sockets;
using Npgsql;

namespace Handoff.Storage;

/// <summary>
/// The production store: one PostgreSQL database holding grain state, Orleans cluster membership and reminders, with
/// the project's schema (deploy/postgresql/handoff-postgresql.sql). Checked before the silo starts, so that a wrong or
/// unreachable database stops the start-up at once with a message naming the setting, instead of a silo that hangs.
/// </summary>
public static class PostgreSqlDatabase
{
    /// <summary>The ADO.NET invariant under which Orleans loads Npgsql.</summary>
    public const string Invariant = "Npgsql";

    private const string ConnectionStringSetting = "Handoff:Server:Storage:PostgreSqlConnectionString";

    private const string ApplySchemaSetting = "Handoff:Server:Storage:ApplySchema";

    /// <summary>The highest version row the script writes into handoff_schema (1 grain state, membership and reminders; 2 the event journal); the host needs it.</summary>
    private const int SchemaVersion = 2;

    /// <summary>The script, as a path from the repository root (what the messages tell an operator to run).</summary>
    private const string SchemaScriptPath = "deploy/postgresql/handoff-postgresql.sql";

    /// <summary>
    /// Connections per silo, for everything it stores (one pool). Three silos at 30 fit the server's default
    /// max_connections of 100, which keeps 3 for superusers.
    /// </summary>
    private const int DefaultMaxPoolSize = 30;

    /// <summary>
    /// Statements Npgsql prepares per connection once seen <see cref="DefaultAutoPrepareMinUsages"/> times: the
    /// providers run about twenty distinct statements, each many times, and a prepared one skips parsing and planning.
    /// </summary>
    private const int DefaultMaxAutoPrepare = 32;

    private const int DefaultAutoPrepareMinUsages = 2;

    private const string SchemaFile = "Schema/postgresql/handoff-postgresql.sql";

    /// <summary>The schema script as shipped next to the host.</summary>
    private static string SchemaScript() => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, SchemaFile));

    /// <summary>
    /// <paramref name="configured"/> with Handoff's defaults for what it does not say: Maximum Pool Size, Max Auto
    /// Prepare, Auto Prepare Min Usages and No Reset On Close (every storage operation borrows a pooled connection, and
    /// the reset costs the server four statements at each return; nothing Handoff or Orleans runs leaves session state
    /// behind). A value given in the configured string always wins.
    /// </summary>
    public static string ConnectionString(string configured)
    {
        var builder = Parse(configured);
        var given = Keywords(configured);
        if (!given.Contains("maximumpoolsize") && !given.Contains("maxpoolsize"))
        {
            builder.MaxPoolSize = DefaultMaxPoolSize;
        }

        if (!given.Contains("maxautoprepare"))
        {
            builder.MaxAutoPrepare = DefaultMaxAutoPrepare;
        }

        if (!given.Contains("autoprepareminusages"))
        {
            builder.AutoPrepareMinUsages = DefaultAutoPrepareMinUsages;
        }

        if (!given.Contains("noresetonclose"))
        {
            builder.NoResetOnClose = true;
        }

        return builder.ConnectionString;
    }

    /// <summary>The connection string with its password replaced, fit for a log line or an error message.</summary>
    public static string Redact(string connectionString)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            if (!string.IsNullOrEmpty(builder.Password))
            {
                builder.Password = "***";
            }

            return builder.ConnectionString;
        }
        catch (ArgumentException)
        {
            return "(unreadable connection string)";
        }
    }

    /// <summary>
    /// Before the silo starts: connects within <paramref name="connectTimeout"/>, then checks that the schema is there,
    /// or applies it when <paramref name="applySchema"/>. Returns the connection string the providers use (with
    /// defaults); throws <see cref="StorageStartupException"/> with the setting and the reason otherwise.
    /// </summary>
    public static string EnsureReady(string configured, bool applySchema, TimeSpan connectTimeout)
    {
        if (string.IsNullOrWhiteSpace(configured))
        {
            throw new StorageStartupException(
                $"{ConnectionStringSetting} is empty: with Handoff:Server:Storage:Provider=PostgreSql it must name the database, " +
                "e.g. Host=127.0.0.1;Port=5432;Database=handoff;Username=handoff;Password=...");
        }

        var connectionString = ConnectionString(configured);
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        var where = $"{target.Host}:{target.Port}";
        var database = target.Database ?? target.Username ?? "(default)";

        // The check gets its own short timeouts; the providers keep the configured (or Npgsql's default) ones.
        var seconds = Math.Max(1, (int)Math.Ceiling(connectTimeout.TotalSeconds));
        var check = new NpgsqlConnectionStringBuilder(connectionString) { Timeout = seconds, CommandTimeout = Math.Max(seconds, 30), Pooling = false };
        try
        {
            CheckAsync(check.ConnectionString, applySchema, connectTimeout).WaitAsync(connectTimeout + TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
        }
        catch (SchemaMissingException e)
        {
            throw new StorageStartupException(
                $"{ConnectionStringSetting}: database \"{database}\" on {where} {e.Message}: " +
                $"run psql -v ON_ERROR_STOP=1 -1 -h {target.Host} -p {target.Port} -U {target.Username} -d {database} -f {SchemaScriptPath} " +
                $"or start once with --{ApplySchemaSetting}=true");
        }
        catch (SchemaApplyException e)
        {
            throw new StorageStartupException(
                $"{ApplySchemaSetting}: applying {SchemaScriptPath} to database \"{database}\" on {where} failed ({Reason(e.InnerException!, connectTimeout, configured)})",
                e.InnerException);
        }
        catch (Exception e) when (e is DbException or SocketException or TimeoutException or OperationCanceledException or IOException)
        {
            throw new StorageStartupException(
                $"{ConnectionStringSetting}: cannot connect to {where} ({Reason(e, connectTimeout, configured)}). " +
                $"Check that PostgreSQL runs there and lets this user into database \"{database}\"; settings in use: {Redact(configured)}",
                e);
        }

        return connectionString;
    }

    /// <summary>Applies the schema script to the database (idempotent), in one transaction. The tests use this too.</summary>
    public static void ApplySchema(string connectionString)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        ApplySchemaAsync(connection, CancellationToken.None).GetAwaiter().GetResult();
    }

    private static async Task CheckAsync(string connectionString, bool applySchema, TimeSpan connectTimeout)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        using (var connecting = new CancellationTokenSource(connectTimeout))
        {
            await connection.OpenAsync(connecting.Token);
        }

        if (applySchema)
        {
            try
            {
                await ApplySchemaAsync(connection, CancellationToken.None);
            }
            catch (DbException e)
            {
                throw new SchemaApplyException(e);
            }
        }

        var version = await ReadSchemaVersionAsync(connection);
        if (version is null)
        {
            throw new SchemaMissingException("has no Handoff schema");
        }

        if (version < SchemaVersion)
        {
            throw new SchemaMissingException($"has Handoff schema version {version}, this build needs {SchemaVersion}");
        }
    }

    private static async Task ApplySchemaAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = SchemaScript();
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task<int?> ReadSchemaVersionAsync(NpgsqlConnection connection)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT to_regclass('handoff_schema') IS NOT NULL;";
        if (!(bool)(await command.ExecuteScalarAsync())!)
        {
            return null;
        }

        command.CommandText = "SELECT max(version) FROM handoff_schema;";
        return await command.ExecuteScalarAsync() is int version ? version : null;
    }

    /// <summary>Why a connection failed, in a few words, without the password.</summary>
    private static string Reason(Exception e, TimeSpan connectTimeout, string configured)
    {
        var reason = e switch
        {
            OperationCanceledException or TimeoutException =>
                $"no answer within {connectTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s",
            PostgresException postgres => $"{postgres.SqlState}: {postgres.MessageText}",
            _ when Innermost<SocketException>(e) is { } socket => socket.Message,
            _ when Innermost<TimeoutException>(e) is not null =>
                $"no answer within {connectTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s",
            _ => e.Message,
        };
        var password = TryPassword(configured);
        return string.IsNullOrEmpty(password) ? reason : reason.Replace(password, "***", StringComparison.Ordinal);
    }

    private static T? Innermost<T>(Exception e) where T : Exception
    {
        T? found = null;
        for (var current = e; current is not null; current = current.InnerException)
        {
            if (current is T match)
            {
                found = match;
            }
        }

        return found;
    }

    private static NpgsqlConnectionStringBuilder Parse(string configured)
    {
        try
        {
            return new NpgsqlConnectionStringBuilder(configured);
        }
        catch (ArgumentException e)
        {
            // Npgsql's message names the keyword, never the value.
            throw new StorageStartupException($"{ConnectionStringSetting}: not a valid Npgsql connection string ({e.Message})", e);
        }
    }

    private static HashSet<string> Keywords(string configured)
    {
        var generic = new DbConnectionStringBuilder { ConnectionString = configured };
        return generic.Keys.Cast<string>()
            .Select(k => k.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant())
            .ToHashSet(StringComparer.Ordinal);
    }

    private static string? TryPassword(string configured)
    {
        try
        {
            return new NpgsqlConnectionStringBuilder(configured).Password;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private sealed class SchemaMissingException(string message) : Exception(message);

    private sealed class SchemaApplyException(Exception inner) : Exception(inner.Message, inner);
}
