using System.Globalization;

namespace Handoff.Benchmarks;

/// <summary>
/// The host's own runtime counters (the System.Runtime meter, which the host exports at /metrics on its management
/// listener): bytes allocated on the managed heap, time paused for garbage collection and CPU time, all since the
/// process started; and from Orleans' own meter (Microsoft.Orleans, exported beside it) the grain activations created
/// since the silo started, of every grain type (contacts are nearly all of them in a pass). Two readings around a pass
/// give what the pass cost the host per event, how many activations it made, how long its garbage collections paused
/// it on average (what a read that meets one waits), and how much of its CPU went to compiling code (the JIT), which a
/// warm-up should have done already.
/// </summary>
public sealed record RuntimeCounters(
    double AllocatedBytes, double GcPauseSeconds, double GcCollections, double CpuSeconds, double Activations, double JitSeconds)
{
    private const string Allocated = "dotnet_gc_heap_total_allocated_bytes_total";
    private const string GcPause = "dotnet_gc_pause_time_seconds_total";

    // One line per generation collected.
    private const string Collections = "dotnet_gc_collections_total";
    private const string Cpu = "dotnet_process_cpu_time_seconds_total";
    private const string Jit = "dotnet_jit_compilation_time_seconds_total";

    // Orleans' counter orleans-catalog-activation-created, one line per grain type.
    private const string ActivationsCreated = "orleans_catalog_activation_created_total";

    public static async Task<RuntimeCounters> ReadAsync(HostProcess host, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var text = await http.GetStringAsync($"{host.ManagementAddress}/metrics", cancellationToken);
        double allocated = 0, pause = 0, collections = 0, cpu = 0, activations = 0;
        double? jit = null;
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith('#'))
            {
                continue;
            }

            // name{labels} value [timestamp]; CPU comes as one line per mode (user, system), summed here.
            var name = line.AsSpan(0, Math.Max(0, line.IndexOfAny(['{', ' '])));
            if (name.SequenceEqual(Allocated))
            {
                allocated += Value(line);
            }
            else if (name.SequenceEqual(GcPause))
            {
                pause += Value(line);
            }
            else if (name.SequenceEqual(Collections))
            {
                collections += Value(line);
            }
            else if (name.SequenceEqual(Cpu))
            {
                cpu += Value(line);
            }
            else if (name.SequenceEqual(ActivationsCreated))
            {
                activations += Value(line);
            }
            else if (name.SequenceEqual(Jit))
            {
                jit = (jit ?? 0) + Value(line);
            }
        }

        // The warm-up stops on this counter: without it, it would stop after one round as if the JIT were done.
        return new RuntimeCounters(allocated, pause, collections, cpu, activations,
            jit ?? throw new InvalidOperationException($"The host's /metrics has no {Jit}: the warm-up cannot tell when the JIT is done."));
    }

    /// <summary>Grain activations the host created between this reading and a later one.</summary>
    public int ActivationsUntil(RuntimeCounters later) => (int)(later.Activations - Activations);

    /// <summary>What the host spent between this reading and a later one, per event of the pass.</summary>
    public HostCost PerEvent(RuntimeCounters later, int events) => new(
        (later.CpuSeconds - CpuSeconds) * 1e6 / events,
        (later.AllocatedBytes - AllocatedBytes) / events,
        ShareOfCpu(later, later.GcPauseSeconds - GcPauseSeconds),
        later.GcCollections > GcCollections ? (later.GcPauseSeconds - GcPauseSeconds) * 1e3 / (later.GcCollections - GcCollections) : 0,
        JitShareUntil(later));

    /// <summary>Time spent compiling code between this reading and a later one, as a share of the host's CPU time.</summary>
    public double JitShareUntil(RuntimeCounters later) => ShareOfCpu(later, later.JitSeconds - JitSeconds);

    private double ShareOfCpu(RuntimeCounters later, double seconds) => later.CpuSeconds > CpuSeconds ? seconds / (later.CpuSeconds - CpuSeconds) : 0;

    private static double Value(string line)
    {
        var fields = line[(line.LastIndexOf('}') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return double.Parse(fields[0], CultureInfo.InvariantCulture);
    }
}

/// <summary>
/// The host's cost of one event in a pass: CPU microseconds (user and system), bytes allocated on the managed heap,
/// the time paused for garbage collection and the time spent compiling code, each as a share of the host's CPU time,
/// and the mean pause of a collection in milliseconds.
/// </summary>
public sealed record HostCost(double CpuMicroseconds, double AllocatedBytes, double GcPauseShare, double GcMeanPauseMs, double JitShare);
