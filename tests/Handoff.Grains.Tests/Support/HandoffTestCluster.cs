using Handoff.Grains;
using Handoff.Grains.Contacts;
using Handoff.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Reminders;
using Orleans.Storage;
using Orleans.TestingHost;
using ReminderOptions = Orleans.Hosting.ReminderOptions;

namespace Handoff.Grains.Tests.Support;

/// <summary>
/// A one-silo test cluster storing through the host's own storage wiring, with a fake clock: on a real SQLite file
/// (the default), or on a real PostgreSQL database, where the silo also keeps its membership (and the cluster's client
/// finds its gateway there). Grain state and reminders are in the store either way. Start several on the same
/// <see cref="TestStore"/> to prove that state survives a restart. Settings ("Handoff:Cards:EscalationSla" ...) are
/// configuration keys, read by the same wiring the host uses.
/// </summary>
public sealed class HandoffTestCluster : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private const string StoreKindKey = "HandoffTests:StoreKind";
    private const string StoreKey = "HandoffTests:Store";
    private const string ClockKey = "HandoffTests:ClockId";

    /// <summary>Where the host reads Orleans' ReminderOptions from (Handoff:Server:Silo:Reminders).</summary>
    private const string RemindersSection = "Handoff:Server:Silo:Reminders";

    private static readonly Dictionary<string, FakeTimeProvider> Clocks = [];

    private HandoffTestCluster(TestCluster cluster, FakeTimeProvider clock, TestStore store, IReadOnlyDictionary<string, string> settings)
    {
        Cluster = cluster;
        Clock = clock;
        Store = store;
        Settings = settings;
    }

    public TestCluster Cluster { get; }

    public FakeTimeProvider Clock { get; }

    public TestStore Store { get; }

    /// <summary>The configuration keys this silo was started with (kept by <see cref="RestartAsync"/>).</summary>
    public IReadOnlyDictionary<string, string> Settings { get; }

    /// <summary>The SQLite file, or the PostgreSQL connection string.</summary>
    public string DatabasePath => Store.Location;

    public IGrainFactory Grains => Cluster.GrainFactory;

    /// <summary>The services of the (only) silo: its IGrainStorage, IReminderTable, IMembershipTable ...</summary>
    public IServiceProvider SiloServices => ((InProcessSiloHandle)Cluster.Silos[0]).ServiceProvider;

    /// <summary>The contact's state as last written to the store (RecordExists false when it never was).</summary>
    public async Task<GrainState<ContactState>> StoredContactStateAsync(string tenantId, string contactId)
    {
        var storage = SiloServices.GetRequiredKeyedService<IGrainStorage>(StorageNames.Handoff);
        var state = new GrainState<ContactState>(new ContactState());
        await storage.ReadStateAsync("contact", Grains.Contact(tenantId, contactId).GetGrainId(), state);
        return state;
    }

    public static string NewDatabasePath() =>
        Path.Combine(Path.GetTempPath(), "handoff-tests", $"{Guid.NewGuid():N}.db");

    /// <summary>Starts a silo on the SQLite file <paramref name="databasePath"/> (a new file when null); the clock continues from <paramref name="clock"/> when given.</summary>
    public static Task<HandoffTestCluster> StartAsync(string? databasePath = null, FakeTimeProvider? clock = null) =>
        StartAsync(TestStore.ForSqliteFile(databasePath ?? NewDatabasePath()), clock);

    /// <summary>
    /// Starts a silo on <paramref name="store"/>; the clock continues from <paramref name="clock"/> when given.
    /// <paramref name="settings"/> are configuration keys and values for the silo.
    /// </summary>
    public static async Task<HandoffTestCluster> StartAsync(TestStore store, FakeTimeProvider? clock = null, IReadOnlyDictionary<string, string>? settings = null)
    {
        settings ??= new Dictionary<string, string>();
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
        foreach (var (key, value) in settings)
        {
            builder.Properties[key] = value;
        }

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
        return new HandoffTestCluster(cluster, clock, store, settings);
    }

    /// <summary>Stops this silo and starts a new one on the same store, clock and settings.</summary>
    public async Task<HandoffTestCluster> RestartAsync()
    {
        await StopAsync();
        return await StartAgainAsync();
    }

    /// <summary>Stops this silo (what <see cref="RestartAsync"/> does first); <see cref="StartAgainAsync"/> starts the next one.</summary>
    public ValueTask StopAsync() => DisposeAsync();

    /// <summary>
    /// Kills this silo the way a crash would: no graceful deactivation, so nothing held only in memory is written.
    /// <see cref="StartAgainAsync"/> starts the next one.
    /// </summary>
    public async Task CrashAsync()
    {
        foreach (var silo in Cluster.Silos.ToList())
        {
            await Cluster.KillSiloAsync(silo);
        }

        await Cluster.DisposeAsync();
    }

    /// <summary>A new silo on this one's store, clock and settings (after <see cref="StopAsync"/>).</summary>
    public Task<HandoffTestCluster> StartAgainAsync() => StartAsync(Store, Clock, Settings);

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
            // The reminder service reads the same fake clock (Orleans falls back to the silo's TimeProvider; said here
            // so that it stays so): advancing the clock past a reminder's due time fires it.
            silo.Services.AddKeyedSingleton<TimeProvider>(ReminderTimeProviderNames.Reminders, clock);
            silo.Services.AddHandoffGrainServices(configuration);
            silo.Services.Configure<ReminderOptions>(configuration.GetSection(RemindersSection));
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
