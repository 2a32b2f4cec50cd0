namespace Handoff.Cluster.Tests.Support;

/// <summary>Cluster tests run one at a time: each starts three host processes on a 2-core machine.</summary>
[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterDatabaseFixture>
{
    public const string Name = "cluster";
}
