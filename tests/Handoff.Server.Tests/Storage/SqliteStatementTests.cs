using Handoff.Storage;
using Microsoft.Data.Sqlite;

namespace Handoff.Server.Tests.Storage;

/// <summary>
/// The journal's writer binds and steps its rows through <see cref="SqliteStatement"/>, not through Microsoft.Data.Sqlite's
/// commands: what it writes must read back the same through a command, and a failure must surface as SQLite's error
/// without leaving the statement unusable for the next row.
/// </summary>
public sealed class SqliteStatementTests : IDisposable
{
    private readonly SqliteConnection connection = new("Data Source=:memory:");

    public SqliteStatementTests()
    {
        connection.Open();
        using var create = connection.CreateCommand();
        create.CommandText = "CREATE TABLE rows (id TEXT PRIMARY KEY, count INTEGER NOT NULL, data BLOB NOT NULL);";
        create.ExecuteNonQuery();
    }

    [Fact]
    public void Rows_written_through_a_statement_read_back_the_same_through_a_command()
    {
        using var insert = new SqliteStatement(connection, "INSERT INTO rows (id, count, data) VALUES ($id, $count, $data) ON CONFLICT (id) DO NOTHING;");
        var (id, count, data) = (insert.Parameter("$id"), insert.Parameter("$count"), insert.Parameter("$data"));

        insert.Bind(id, "événement-1 ✓");
        insert.Bind(count, long.MaxValue);
        insert.Bind(data, [1, 2, 3]);
        Assert.Equal(1, insert.Execute());
        // The same id again changes nothing, and says so.
        Assert.Equal(0, insert.Execute());
        insert.Bind(id, "event-2");
        insert.Bind(count, -7);
        insert.Bind(data, ReadOnlySpan<byte>.Empty);
        Assert.Equal(1, insert.Execute());

        using var read = connection.CreateCommand();
        read.CommandText = "SELECT id, count, data FROM rows ORDER BY count;";
        using var reader = read.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal(("event-2", -7L), (reader.GetString(0), reader.GetInt64(1)));
        Assert.Empty((byte[])reader.GetValue(2));
        Assert.True(reader.Read());
        Assert.Equal(("événement-1 ✓", long.MaxValue), (reader.GetString(0), reader.GetInt64(1)));
        Assert.Equal([1, 2, 3], (byte[])reader.GetValue(2));
        Assert.False(reader.Read());
    }

    [Fact]
    public void A_query_steps_through_its_rows_and_runs_again_after_a_reset()
    {
        Insert("a", 1);
        Insert("b", 2);
        using var query = new SqliteStatement(connection, "SELECT id, count, data FROM rows WHERE count >= $least ORDER BY count;");
        var least = query.Parameter("$least");

        query.Bind(least, 2);
        Assert.True(query.Read());
        Assert.Equal(("b", 2L), (query.GetString(0), query.GetInt64(1)));
        Assert.Equal([0x0b], query.GetBlob(2).ToArray());
        Assert.False(query.Read());
        query.Reset();

        query.Bind(least, 0);
        Assert.True(query.Read());
        Assert.Equal("a", query.GetString(0));
        query.Reset();
    }

    [Fact]
    public void A_failed_row_throws_SQLites_error_and_the_statement_takes_the_next_row()
    {
        using var insert = new SqliteStatement(connection, "INSERT INTO rows (id, count, data) VALUES ($id, $count, $data);");
        var (id, count, data) = (insert.Parameter("$id"), insert.Parameter("$count"), insert.Parameter("$data"));
        insert.Bind(id, "a");
        insert.Bind(count, 1);
        insert.Bind(data, [0]);
        insert.Execute();

        var error = Assert.Throws<SqliteException>(() => insert.Execute());
        Assert.Equal(SQLitePCL.raw.SQLITE_CONSTRAINT, error.SqliteErrorCode);
        Assert.Contains("UNIQUE", error.Message, StringComparison.Ordinal);

        insert.Bind(id, "b");
        Assert.Equal(1, insert.Execute());
        Assert.Equal(2L, Count());
    }

    [Fact]
    public void A_parameter_the_statement_does_not_have_is_named_in_the_error()
    {
        using var insert = new SqliteStatement(connection, "INSERT INTO rows (id, count, data) VALUES ($id, $count, $data);");

        var error = Assert.Throws<ArgumentException>(() => insert.Parameter("$missing"));
        Assert.Contains("$missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_statement_that_does_not_compile_says_why()
    {
        var error = Assert.Throws<SqliteException>(() => new SqliteStatement(connection, "INSERT INTO nowhere VALUES (1);"));
        Assert.Contains("no such table: nowhere", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => connection.Dispose();

    private void Insert(string id, long count)
    {
        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO rows (id, count, data) VALUES ($id, $count, $data);";
        insert.Parameters.AddWithValue("$id", id);
        insert.Parameters.AddWithValue("$count", count);
        insert.Parameters.AddWithValue("$data", new[] { (byte)(0x09 + count) });
        insert.ExecuteNonQuery();
    }

    private long Count()
    {
        using var count = connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM rows;";
        return (long)count.ExecuteScalar()!;
    }
}
