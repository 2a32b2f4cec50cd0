using System.Diagnostics;
using System.Globalization;

namespace Handoff.Benchmarks;

/// <summary>
/// CPU used during a pass, in cores (CPU seconds / wall seconds): by the whole machine (/proc/stat; null elsewhere),
/// by this process, and by the host when there is one. Client and server share the machine, and anything else running
/// on it shows up as the rest.
/// </summary>
public sealed class CpuMeter
{
    private readonly HostProcess? host;
    private readonly long start = Stopwatch.GetTimestamp();
    private readonly (long Busy, long Total)? machine = Machine();
    private readonly TimeSpan bench = Process.GetCurrentProcess().TotalProcessorTime;
    private readonly TimeSpan? hostCpu;

    public CpuMeter(HostProcess? host = null)
    {
        this.host = host;
        hostCpu = host?.CpuTime;
    }

    public CpuUse Stop()
    {
        var wall = Stopwatch.GetElapsedTime(start);
        double? machineCores = machine is { } before && Machine() is { } after && after.Total > before.Total
            ? (double)(after.Busy - before.Busy) / (after.Total - before.Total) * Environment.ProcessorCount
            : null;
        var benchCores = (Process.GetCurrentProcess().TotalProcessorTime - bench) / wall;
        double? hostCores = host is null ? null : (host.CpuTime - hostCpu!.Value) / wall;
        return new CpuUse(machineCores, benchCores, hostCores, machineCores - benchCores - (hostCores ?? 0));
    }

    /// <summary>Jiffies busy and in total over all CPUs since boot, from the first line of /proc/stat.</summary>
    private static (long Busy, long Total)? Machine()
    {
        if (!File.Exists("/proc/stat"))
        {
            return null;
        }

        // cpu  user nice system idle iowait irq softirq steal ...
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        var total = fields.Take(8).Sum();
        return (total - fields[3] - fields[4], total);
    }
}

/// <summary>Cores busy during a pass: the machine, the benchmark process, the host, and everything else (PostgreSQL included).</summary>
public sealed record CpuUse(double? Machine, double Bench, double? Host, double? Others);
