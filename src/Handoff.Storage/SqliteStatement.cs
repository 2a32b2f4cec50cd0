using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Handoff.Storage;

/// <summary>
/// A statement compiled once on an open connection and run many times, through SQLite's own calls (SQLitePCLRaw, the
/// library under Microsoft.Data.Sqlite). A row bound and stepped this way allocates nothing; a <see cref="SqliteCommand"/>
/// allocates a binder per parameter and a reader per run, which the journal's writer paid for every event (measured in
/// docs/ingest-durability.md). Strings are bound as UTF-16, as Microsoft.Data.Sqlite binds them. The connection must
/// stay open while the statement lives, and the statement is used by one thread at a time.
/// </summary>
public sealed class SqliteStatement : IDisposable
{
    private const int RowReady = raw.SQLITE_ROW;
    private const int Finished = raw.SQLITE_DONE;

    private readonly sqlite3 database;
    private readonly sqlite3_stmt statement;

    public SqliteStatement(SqliteConnection connection, string sql)
    {
        ArgumentNullException.ThrowIfNull(connection);
        database = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        SqliteException.ThrowExceptionForRC(raw.sqlite3_prepare_v2(database, sql, out statement), database);
    }

    /// <summary>The position of a named parameter (as written in the statement, "$name"), for the Bind calls.</summary>
    public int Parameter(string name)
    {
        var index = raw.sqlite3_bind_parameter_index(statement, name);
        return index > 0 ? index : throw new ArgumentException($"The statement has no parameter {name}.", nameof(name));
    }

    public void Bind(int parameter, string value) =>
        SqliteException.ThrowExceptionForRC(raw.sqlite3_bind_text16(statement, parameter, value), database);

    public void Bind(int parameter, long value) =>
        SqliteException.ThrowExceptionForRC(raw.sqlite3_bind_int64(statement, parameter, value), database);

    public void Bind(int parameter, ReadOnlySpan<byte> value) =>
        SqliteException.ThrowExceptionForRC(raw.sqlite3_bind_blob(statement, parameter, value), database);

    /// <summary>Runs a statement that returns no rows, and says how many rows it changed.</summary>
    public int Execute()
    {
        try
        {
            var result = raw.sqlite3_step(statement);
            if (result != Finished)
            {
                SqliteException.ThrowExceptionForRC(result, database);
                throw new InvalidOperationException("The statement returned a row where none was expected.");
            }

            return raw.sqlite3_changes(database);
        }
        finally
        {
            raw.sqlite3_reset(statement);
        }
    }

    /// <summary>Steps to the next row of a query; false when there is none. <see cref="Reset"/> before it runs again.</summary>
    public bool Read()
    {
        var result = raw.sqlite3_step(statement);
        if (result is RowReady or Finished)
        {
            return result == RowReady;
        }

        // The error is read from the connection before the reset that readies the statement again.
        try
        {
            SqliteException.ThrowExceptionForRC(result, database);
            return false;
        }
        finally
        {
            raw.sqlite3_reset(statement);
        }
    }

    public void Reset() => raw.sqlite3_reset(statement);

    public string GetString(int column) => raw.sqlite3_column_text(statement, column).utf8_to_string();

    public long GetInt64(int column) => raw.sqlite3_column_int64(statement, column);

    /// <summary>A blob column of the current row, in SQLite's own memory: valid until the next step or reset.</summary>
    public ReadOnlySpan<byte> GetBlob(int column) => raw.sqlite3_column_blob(statement, column);

    public void Dispose() => statement.Dispose();
}
