using Handoff.Grains;
using Handoff.Server.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace Handoff.Grains.Tests.Support;

/// <summary>
/// A one-silo test cluster storing through the host's own storage wiring, with a fake clock: on a real SQLite file
/// (the default), or on a real PostgreSQL database, where the silo also keeps its membership (and the cluster's client
/// finds its gateway there) and reminders. Start several on the same <see cref="TestStore"/> to prove that state
/// survives a restart.
/// </summary>
public sealed class HandoffTestCluster : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private const string StoreKindKey = "HandoffTests:StoreKind";
    private const string StoreKey = "HandoffTests:Store";
    private const string ClockKey = "HandoffTests:ClockId";
    private static readonly Dictionary<string, FakeTimeProvider> Clocks = [];

    private HandoffTestCluster(TestCluster cluster, FakeTimeProvider clock, TestStore store)
    {
        Cluster = cluster;
        Clock = clock;
        Store = store;
    }

    public TestCluster Cluster { get; }

    public FakeTimeProvider Clock { get; }

    public TestStore Store { get; }

    /// <summary>The SQLite file, or the PostgreSQL connection string.</summary>
    public string DatabasePath => Store.Location;

    public IGrainFactory Grains => Cluster.GrainFactory;

    /// <summary>The services of the (only) silo: its IGrainStorage, IReminderTable, IMembershipTable ...</summary>
    public IServiceProvider SiloServices => ((InProcessSiloHandle)Cluster.Silos[0]).ServiceProvider;

    public static string NewDatabasePath() =>
        Path.Combine(Path.GetTempPath(), "handoff-tests", $"{Guid.NewGuid():N}.db");

    /// <summary>Starts a silo on the SQLite file <paramref name="databasePath"/> (a new file when null); the clock continues from <paramref name="clock"/> when given.</summary>
    public static Task<HandoffTestCluster> StartAsync(string? databasePath = null, FakeTimeProvider? clock = null) =>
        StartAsync(TestStore.ForSqliteFile(databasePath ?? NewDatabasePath()), clock);

    /// <summary>Starts a silo on <paramref name="store"/>; the clock continues from <paramref name="clock"/> when given.</summary>
    public static async Task<HandoffTestCluster> StartAsync(TestStore store, FakeTimeProvider? clock = null)
    {
        clock ??= new FakeTimeProvider(Start);
        var clockId = Guid.NewGuid().ToString("N");
        lock (Clocks)
        {
            Clocks[clockId] = clock;
        }

        var builder = new TestClusterBuilder(1);
        builder.Options.ServiceId = "handoff-tests";
        builder.Properties[StoreKindKey] = store.Kind.ToString();
        builder.Properties[StoreKey] = store.Kind == StoreKind.PostgreSql ? store.ProviderConnectionString : store.Location;
        builder.Properties[ClockKey] = clockId;
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        if (store.Kind == StoreKind.PostgreSql)
        {
            // Membership in the database, as the host has it: the silo registers there and the client reads its gateway
            // from there, instead of the test cluster's in-memory membership.
            builder.Options.UseTestClusterMembership = false;
            builder.AddClientBuilderConfigurator<ClientConfigurator>();
        }

        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new HandoffTestCluster(cluster, clock, store);
    }

    /// <summary>Stops this silo and starts a new one on the same store and clock.</summary>
    public async Task<HandoffTestCluster> RestartAsync()
    {
        await DisposeAsync();
        return await StartAsync(Store, Clock);
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo)
        {
            var configuration = silo.Configuration;
            FakeTimeProvider clock;
            lock (Clocks)
            {
                clock = Clocks[configuration[ClockKey]!];
            }

            silo.Services.AddSingleton<TimeProvider>(clock);
            silo.Services.AddHandoffGrainServices(new ConfigurationBuilder().Build());
            var store = configuration[StoreKey]!;
            if (Enum.Parse<StoreKind>(configuration[StoreKindKey]!) == StoreKind.PostgreSql)
            {
                silo.UseHandoffPostgreSqlClustering(store);
                silo.AddHandoffPostgreSqlStorage(store);
            }
            else
            {
                silo.AddHandoffSqliteStorage(store);
            }
        }
    }

    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder clientBuilder) =>
            clientBuilder.UseAdoNetClustering(o =>
            {
                o.Invariant = PostgreSqlDatabase.Invariant;
                o.ConnectionString = configuration[StoreKey]!;
            });
    }
}
