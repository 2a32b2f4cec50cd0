using Handoff.Tests.Support;

namespace Handoff.Cluster.Tests.Support;

/// <summary>Fresh PostgreSQL databases on the test server; the cluster's first silo applies the schema itself.</summary>
public sealed class ClusterDatabaseFixture
{
    public async Task<string> CreateDatabaseAsync()
    {
        var server = await PostgreSqlTestServer.GetAsync();
        return await server.CreateDatabaseAsync(applySchema: false);
    }
}
