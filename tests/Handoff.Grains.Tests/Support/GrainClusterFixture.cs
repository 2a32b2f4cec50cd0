using Microsoft.Extensions.Time.Testing;

namespace Handoff.Grains.Tests.Support;

[CollectionDefinition(Name)]
public sealed class GrainCollection : ICollectionFixture<GrainClusterFixture>
{
    public const string Name = "grain cluster";
}

/// <summary>One silo shared by the tests of the collection; each test works on contacts of its own.</summary>
public sealed class GrainClusterFixture : IAsyncLifetime
{
    private HandoffTestCluster? cluster;

    public HandoffTestCluster Cluster => cluster ?? throw new InvalidOperationException("The cluster is not started.");

    public IGrainFactory Grains => Cluster.Grains;

    public FakeTimeProvider Clock => Cluster.Clock;

    public DateTimeOffset Now => Clock.GetUtcNow();

    public string NewContactId() => $"c-{Guid.NewGuid():N}";

    public async Task InitializeAsync() => cluster = await HandoffTestCluster.StartAsync();

    public async Task DisposeAsync()
    {
        if (cluster is not null)
        {
            await cluster.DisposeAsync();
        }
    }
}
