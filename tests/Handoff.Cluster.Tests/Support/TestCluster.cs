namespace Handoff.Cluster.Tests.Support;

/// <summary>Several host processes forming one Orleans cluster on a PostgreSQL database.</summary>
public sealed class TestCluster : IAsyncDisposable
{
    /// <summary>
    /// Failure detection tuned for a test on one machine: a silo that stops answering probes is declared dead in
    /// seconds rather than the production default of about a minute.
    /// </summary>
    private static readonly string[] FastFailureDetection =
    [
        "Handoff:Server:Silo:Membership:ProbeTimeout=00:00:01",
        "Handoff:Server:Silo:Membership:NumMissedProbesLimit=2",
        "Handoff:Server:Silo:Membership:IAmAliveTablePublishTimeout=00:00:05",
        "Handoff:Server:Silo:Membership:TableRefreshTimeout=00:00:02",
        "Handoff:Server:Silo:Membership:DeathVoteExpirationTimeout=00:00:30",
    ];

    private TestCluster(IReadOnlyList<SiloProcess> silos) => Silos = silos;

    public IReadOnlyList<SiloProcess> Silos { get; }

    /// <summary>The first silo applies the schema; the others join once it serves.</summary>
    public static async Task<TestCluster> StartAsync(string connectionString, string clusterId, int silos, TimeSpan timeout)
    {
        var started = new List<SiloProcess>();
        try
        {
            var first = SiloProcess.Start("silo-1", connectionString, clusterId, [.. FastFailureDetection, "Handoff:Server:Storage:ApplySchema=true"]);
            started.Add(first);
            await first.WaitServingAsync(timeout);
            for (var i = 2; i <= silos; i++)
            {
                started.Add(SiloProcess.Start($"silo-{i}", connectionString, clusterId, FastFailureDetection));
            }

            await Task.WhenAll(started.Skip(1).Select(s => s.WaitServingAsync(timeout)));
            await Task.WhenAll(started.Select(s => Membership.WaitForStatusAsync(connectionString, clusterId, s.SiloPort, Membership.Active, timeout)));
            return new TestCluster(started);
        }
        catch
        {
            foreach (var silo in started)
            {
                await silo.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>Every silo's console output, for the record of a failed test.</summary>
    public string Logs => string.Join(Environment.NewLine, Silos.Select(s => $"===== {s.Name} =====\n{s.Output}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var silo in Silos)
        {
            await silo.DisposeAsync();
        }
    }
}
