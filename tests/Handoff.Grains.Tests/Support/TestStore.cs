using Handoff.Storage;
using Handoff.Tests.Support;

namespace Handoff.Grains.Tests.Support;

/// <summary>The two stores the host can run on.</summary>
public enum StoreKind
{
    Sqlite,
    PostgreSql,
}

/// <summary>
/// Where a test cluster keeps its state: a new SQLite file, or a new database on the test PostgreSQL server with the
/// project's schema. Outlives the clusters started on it, so that a restarted cluster finds the state again.
/// </summary>
public sealed class TestStore : IAsyncDisposable
{
    private TestStore(StoreKind kind, string location)
    {
        Kind = kind;
        Location = location;
    }

    public StoreKind Kind { get; }

    /// <summary>The SQLite file path, or the PostgreSQL connection string.</summary>
    public string Location { get; }

    /// <summary>The connection string the Orleans providers get (the host's defaults added), PostgreSQL only.</summary>
    public string ProviderConnectionString => PostgreSqlDatabase.ConnectionString(Location);

    public static async Task<TestStore> CreateAsync(StoreKind kind) => kind switch
    {
        StoreKind.Sqlite => new TestStore(kind, HandoffTestCluster.NewDatabasePath()),
        StoreKind.PostgreSql => new TestStore(kind, await (await PostgreSqlTestServer.GetAsync()).CreateDatabaseAsync()),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static TestStore ForSqliteFile(string path) => new(StoreKind.Sqlite, path);

    public override string ToString() => Kind.ToString();

    public async ValueTask DisposeAsync()
    {
        if (Kind == StoreKind.PostgreSql)
        {
            await (await PostgreSqlTestServer.GetAsync()).DropDatabaseAsync(Location);
        }
    }
}
