using Handoff.Domain.Model;
using Handoff.Grains.Contacts;
using Microsoft.Extensions.Time.Testing;

namespace Handoff.Grains.Tests.Support;

[CollectionDefinition(Name)]
public sealed class GrainCollection : ICollectionFixture<GrainClusterFixture>
{
    public const string Name = "grain cluster";
}

/// <summary>
/// One silo shared by the tests of the collection; each test works on contacts, users (and, where it lists a whole
/// tenant, a tenant) of its own. The tests of the collection run one after another, so a test may move the shared
/// clock forward: every other test builds its timeline from <see cref="Now"/> when it starts.
/// </summary>
public sealed class GrainClusterFixture : IAsyncLifetime
{
    private HandoffTestCluster? cluster;

    public HandoffTestCluster Cluster => cluster ?? throw new InvalidOperationException("The cluster is not started.");

    public IGrainFactory Grains => Cluster.Grains;

    public FakeTimeProvider Clock => Cluster.Clock;

    public DateTimeOffset Now => Clock.GetUtcNow();

    public string NewContactId() => $"c-{Guid.NewGuid():N}";

    /// <summary>A contact with an ACTIVE card in <paramref name="tenantId"/>, owned by a new user unless <paramref name="owner"/> is given.</summary>
    public Task<ActiveHandoff> RaiseHandoffAsync(string tenantId, string? owner = null, string displayName = "Brandon Lee") =>
        Scenarios.RaiseHandoffAsync(Cluster, Now, tenantId, owner ?? Scenarios.NewUserId("owner"), displayName: displayName);

    /// <summary>Ingest as production runs it: see <see cref="JournaledIngest"/>.</summary>
    public Task<IngestOutcome> IngestAsync(IContactGrain contact, IReadOnlyList<EngagementEvent> events) => Cluster.IngestAsync(contact, events);

    public async Task InitializeAsync() => cluster = await HandoffTestCluster.StartAsync();

    public async Task DisposeAsync()
    {
        if (cluster is not null)
        {
            await cluster.DisposeAsync();
        }
    }
}
