using Microsoft.Data.Sqlite;

namespace Handoff.Server.Storage;

/// <summary>The embedded store: one SQLite file in WAL mode, created with the project's schema on first start.</summary>
public static class SqliteDatabase
{
    /// <summary>The ADO.NET invariant under which Orleans 10 loads Microsoft.Data.Sqlite.</summary>
    public const string Invariant = "System.Data.SQLite";

    public static string ConnectionString(string path) => new SqliteConnectionStringBuilder
    {
        DataSource = Path.GetFullPath(path),
        Mode = SqliteOpenMode.ReadWriteCreate,
        Pooling = true,
        DefaultTimeout = 30,
    }.ToString();

    /// <summary>Creates the file and applies <paramref name="schemaScript"/> unless the schema is already there.</summary>
    public static void EnsureCreated(string path, string schemaScript)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        using var connection = new SqliteConnection(ConnectionString(path));
        connection.Open();
        Execute(connection, "PRAGMA journal_mode=WAL;");
        using (var check = connection.CreateCommand())
        {
            check.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'HandoffSchema';";
            if (Convert.ToInt64(check.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) > 0)
            {
                return;
            }
        }

        using var transaction = connection.BeginTransaction();
        using (var apply = connection.CreateCommand())
        {
            apply.Transaction = transaction;
            apply.CommandText = schemaScript;
            apply.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
