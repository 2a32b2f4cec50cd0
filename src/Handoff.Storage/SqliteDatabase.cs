using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Handoff.Storage;

/// <summary>
/// The embedded store: one SQLite file in WAL mode, holding grain state and reminders, created with the project's
/// schema on first start and brought up to the current schema version on every later start.
/// </summary>
public static class SqliteDatabase
{
    /// <summary>The ADO.NET invariant under which Orleans 10 loads Microsoft.Data.Sqlite.</summary>
    public const string Invariant = "System.Data.SQLite";

    /// <summary>The schema version this build needs: 1 grain state, 2 reminders.</summary>
    public const int SchemaVersion = 2;

    /// <summary>
    /// The schema scripts by the version they bring the file to, as shipped next to the host (from deploy/sqlite/).
    /// Each ends by recording its version in HandoffSchema.
    /// </summary>
    private static readonly (int Version, string File)[] Scripts =
    [
        (1, "handoff-sqlite.sql"),
        (2, "handoff-sqlite-2-reminders.sql"),
    ];

    private const string SchemaFolder = "Schema/sqlite";

    public static string ConnectionString(string path) => new SqliteConnectionStringBuilder
    {
        DataSource = Path.GetFullPath(path),
        Mode = SqliteOpenMode.ReadWriteCreate,
        Pooling = true,
        DefaultTimeout = 30,
    }.ToString();

    /// <summary>The schema scripts shipped with the host, oldest first.</summary>
    public static IReadOnlyList<(int Version, string Script)> Migrations() =>
        Scripts.Select(s => (s.Version, File.ReadAllText(Path.Combine(AppContext.BaseDirectory, SchemaFolder, s.File)))).ToList();

    /// <summary>Creates the file if needed and applies the schema scripts it does not have yet (see <see cref="Migrations"/>).</summary>
    public static void EnsureCreated(string path) => EnsureCreated(path, Migrations());

    /// <summary>
    /// Creates the file if needed and applies, oldest first, each of <paramref name="migrations"/> whose version is above
    /// the file's (0 for a new file). All of them run in one transaction: a start that fails half way leaves the file
    /// as it was. Returns the version the file had before.
    /// </summary>
    public static int EnsureCreated(string path, IReadOnlyList<(int Version, string Script)> migrations)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        using var connection = new SqliteConnection(ConnectionString(path));
        connection.Open();
        Execute(connection, "PRAGMA journal_mode=WAL;");

        // BEGIN IMMEDIATE: a second process starting on the same file waits here and then reads the new version.
        using var transaction = connection.BeginTransaction(deferred: false);
        var before = ReadSchemaVersion(connection, transaction);
        foreach (var (version, script) in migrations.Where(m => m.Version > before).OrderBy(m => m.Version))
        {
            using var apply = connection.CreateCommand();
            apply.Transaction = transaction;
            apply.CommandText = script;
            apply.ExecuteNonQuery();
        }

        transaction.Commit();
        return before;
    }

    /// <summary>The highest version recorded in HandoffSchema; 0 when the file has no schema.</summary>
    public static int ReadSchemaVersion(string path)
    {
        using var connection = new SqliteConnection(ConnectionString(path));
        connection.Open();
        return ReadSchemaVersion(connection, null);
    }

    private static int ReadSchemaVersion(SqliteConnection connection, SqliteTransaction? transaction)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'HandoffSchema';";
        if (Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture) == 0)
        {
            return 0;
        }

        command.CommandText = "SELECT IFNULL(MAX(Version), 0) FROM HandoffSchema;";
        return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
