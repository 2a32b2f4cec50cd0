using Handoff.Grains;
using Handoff.Server.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace Handoff.Grains.Tests.Support;

/// <summary>
/// A one-silo test cluster storing on a real SQLite file through the host's own storage wiring, with a fake clock.
/// Start several over the same file to prove that state survives a restart.
/// </summary>
public sealed class HandoffTestCluster : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private const string DatabaseKey = "HandoffTests:DatabasePath";
    private const string ClockKey = "HandoffTests:ClockId";
    private static readonly Dictionary<string, FakeTimeProvider> Clocks = [];

    private HandoffTestCluster(TestCluster cluster, FakeTimeProvider clock, string databasePath)
    {
        Cluster = cluster;
        Clock = clock;
        DatabasePath = databasePath;
    }

    public TestCluster Cluster { get; }

    public FakeTimeProvider Clock { get; }

    public string DatabasePath { get; }

    public IGrainFactory Grains => Cluster.GrainFactory;

    public static string NewDatabasePath() =>
        Path.Combine(Path.GetTempPath(), "handoff-tests", $"{Guid.NewGuid():N}.db");

    /// <summary>Starts a silo on <paramref name="databasePath"/> (a new file when null); the clock continues from <paramref name="clock"/> when given.</summary>
    public static async Task<HandoffTestCluster> StartAsync(string? databasePath = null, FakeTimeProvider? clock = null)
    {
        databasePath ??= NewDatabasePath();
        clock ??= new FakeTimeProvider(Start);
        var clockId = Guid.NewGuid().ToString("N");
        lock (Clocks)
        {
            Clocks[clockId] = clock;
        }

        var builder = new TestClusterBuilder(1);
        builder.Options.ServiceId = "handoff-tests";
        builder.Properties[DatabaseKey] = databasePath;
        builder.Properties[ClockKey] = clockId;
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new HandoffTestCluster(cluster, clock, databasePath);
    }

    /// <summary>Stops this silo and starts a new one on the same file and clock.</summary>
    public async Task<HandoffTestCluster> RestartAsync()
    {
        await DisposeAsync();
        return await StartAsync(DatabasePath, Clock);
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
            silo.AddHandoffSqliteStorage(configuration[DatabaseKey]!);
        }
    }
}
