using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Handoff.Benchmarks;

/// <summary>One row of the results: a baseline, or the host on one store at full speed or throttled.</summary>
public sealed record RunResult(string Name, string What, string Store, [property: JsonIgnore] Pass Pass)
{
    /// <summary>The batches the row sent: "cold" (the contacts first seen) or "sustained" (every contact known and active).</summary>
    public string Workload { get; init; } = "cold";

    public int Events => Pass.Events;

    public double Seconds => Pass.Seconds;

    public double EventsPerSecond => Pass.EventsPerSecond;

    /// <summary>Per batch, send to acknowledgement (raw storage: the INSERT and its commit).</summary>
    public Stats Ack => Pass.Ack;

    public double? TargetEventsPerSecond { get; init; }

    public Stats? GetContact { get; init; }

    /// <summary>Active cards on the benchmark's contacts at the end of the pass.</summary>
    public int? Cards { get; init; }

    /// <summary>CPU used during the pass, in cores: the machine, the benchmark, the host, everything else.</summary>
    public CpuUse? Cpu { get; init; }

    /// <summary>The host's CPU, allocation, GC pause and JIT per event, from its own runtime counters.</summary>
    public HostCost? Cost { get; init; }

    /// <summary>The share of the host's CPU that compiling code took in each warm-up round, in order.</summary>
    public IReadOnlyList<double>? WarmUpJitShares { get; init; }

    /// <summary>Warm-up rounds the host took before the pass, until its JIT had settled.</summary>
    public int? WarmUpRounds => WarmUpJitShares?.Count;

    /// <summary>Grain activations the host created during the pass (Orleans' own counter).</summary>
    public int? Activations { get; init; }

    public double? ActivationsPerSecond => Activations / Seconds;

    /// <summary>Host RSS after start-up and warm-up.</summary>
    public double? StartRssMiB { get; init; }

    /// <summary>Host VmHWM at the end of the pass.</summary>
    public double? PeakRssMiB { get; init; }

    /// <summary>(peak RSS - RSS after start-up) / contacts touched.</summary>
    public double? BytesPerContact { get; init; }
}

/// <summary>One of our figures divided by the same figure of a baseline (ours / baseline).</summary>
public sealed record Ratio(string Ours, string Baseline, double EventsPerSecond, double AckP50, double AckP99,
    double? GetContactP50, double? GetContactP99, double? Cards, double? PeakRss, double? BytesPerContact);

public sealed record MachineInfo(string Cpu, int Cores, double MemoryGiB, string Os, string Dotnet, string? Commit)
{
    public static MachineInfo Read(string repository)
    {
        string? Proc(string file, string key) => File.Exists(file)
            ? File.ReadLines(file).FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        var memoryKiB = Proc("/proc/meminfo", "MemTotal")?.Split(' ')[0];
        return new MachineInfo(
            Proc("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString(),
            Environment.ProcessorCount,
            memoryKiB is null ? 0 : Math.Round(double.Parse(memoryKiB, CultureInfo.InvariantCulture) / (1024 * 1024), 1),
            RuntimeInformation.OSDescription,
            RuntimeInformation.FrameworkDescription,
            Git(repository));
    }

    private static string? Git(string repository)
    {
        try
        {
            string Run(params string[] arguments)
            {
                var start = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = repository };
                foreach (var argument in arguments)
                {
                    start.ArgumentList.Add(argument);
                }

                using var git = Process.Start(start)!;
                var output = git.StandardOutput.ReadToEnd().Trim();
                git.WaitForExit();
                return output;
            }

            var commit = Run("rev-parse", "--short", "HEAD");
            return commit.Length == 0 ? null : commit + (Run("status", "--porcelain", "--untracked-files=no").Length > 0 ? " (with uncommitted changes)" : "");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}

public sealed class Report(Options options, MachineInfo machine, Workload workload, Workload? sustained, string? postgres, string? postgresVersion, IReadOnlyList<RunResult> runs)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    public IReadOnlyList<Ratio> Ratios { get; } = ComputeRatios(runs);

    public void Print(TextWriter output)
    {
        output.WriteLine();
        output.WriteLine($"{workload.Events:N0} events, batches of {options.Batch}, {workload.ContactsTouched:N0} contacts touched of {options.Contacts:N0} (Zipf {options.Skew}), " +
            $"{options.Concurrency} streams x {options.InFlight} in flight, GetContact at {options.ReadRate}/s");
        if (sustained is not null)
        {
            output.WriteLine($"sustained: {sustained.Events:N0} events over {sustained.ContactsTouched:N0} contacts touched, after a warm-up of one event on each of the {options.Contacts:N0}");
        }

        output.WriteLine($"{machine.Cpu}, {machine.Cores} cores, {machine.MemoryGiB} GiB, {machine.Os}, {machine.Dotnet}; client and server on the same machine");
        var rows = runs.Select(r => new[]
        {
            r.Name, N(r.EventsPerSecond, "N0"), N(r.Ack.P50), N(r.Ack.P99), N(r.GetContact?.P50), N(r.GetContact?.P99),
            N(r.Cards, "N0"), N(r.Activations, "N0"), N(r.ActivationsPerSecond, "N0"), N(r.PeakRssMiB, "N0"), N(r.BytesPerContact, "N0"), N(r.Cpu?.Host, "0.00"), N(r.Cost?.CpuMicroseconds, "N0"), N(r.Cost?.AllocatedBytes, "N0"), P(r.Cost?.GcPauseShare),
            N(r.Cost?.GcMeanPauseMs, "N0"), P(r.Cost?.JitShare), N(r.WarmUpRounds, "N0"), N(r.Cpu?.Bench, "0.00"), N(r.Cpu?.Others, "0.00"), RatioCell(r),
        });
        Table(output, ["run", "events/s", "ack p50 ms", "ack p99 ms", "get p50 ms", "get p99 ms", "cards", "activations", "activations/s", "peak RSS MiB", "bytes/contact", "host CPU", "host µs/event", "host B/event", "GC pause", "GC mean pause ms", "JIT", "warm-up rounds", "bench CPU", "other CPU", "events/s ÷ baseline"], rows);

        output.WriteLine();
        output.WriteLine("ours / baseline (events/s: higher is better; latency, RSS, bytes: lower is better)");
        Table(output, ["ours / baseline", "events/s", "ack p50", "ack p99", "get p50", "get p99", "cards", "peak RSS", "bytes/contact"],
            Ratios.Select(r => new[]
            {
                $"{r.Ours} / {r.Baseline}", R(r.EventsPerSecond), R(r.AckP50), R(r.AckP99), R(r.GetContactP50),
                R(r.GetContactP99), R(r.Cards), R(r.PeakRss), R(r.BytesPerContact),
            }));
    }

    public async Task WriteJsonAsync(string path)
    {
        var document = new
        {
            Parameters = options,
            Machine = machine,
            Workload = Describe(workload),
            SustainedWorkload = sustained is null ? null : Describe(sustained),
            PostgreSql = postgres is null ? null : new { Server = postgres, Version = postgresVersion },
            Runs = runs,
            Ratios,
        };
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(document, Json));
    }

    private static object Describe(Workload batches) => new
    {
        batches.Events,
        Batches = batches.Batches.Count,
        batches.ContactsTouched,
        batches.TopContactShare,
        batches.Top1PercentShare,
        batches.TypeCounts,
    };

    private string RatioCell(RunResult run) => string.Join(" · ", Ratios
        .Where(r => r.Ours == run.Name && !r.Ours.Contains('@', StringComparison.Ordinal))
        .Select(r => $"{R(r.EventsPerSecond)} {r.Baseline}"));

    /// <summary>
    /// The host on memory against the raw gRPC limit; the host on each durable store against the raw gRPC limit, its
    /// raw storage limit and the host on memory; each throttled pass against the memory host's throttled pass; the
    /// sustained passes likewise, against the raw storage limit's and the memory host's sustained passes (grpc-only
    /// sends the cold batches: its rate does not depend on what the host holds).
    /// </summary>
    private static List<Ratio> ComputeRatios(IReadOnlyList<RunResult> runs)
    {
        var byName = runs.ToDictionary(r => r.Name);
        var ratios = new List<Ratio>();
        void Add(string ours, string baseline)
        {
            if (byName.TryGetValue(ours, out var o) && byName.TryGetValue(baseline, out var b))
            {
                ratios.Add(new Ratio(ours, baseline, o.EventsPerSecond / b.EventsPerSecond, o.Ack.P50 / b.Ack.P50, o.Ack.P99 / b.Ack.P99,
                    o.GetContact?.P50 / b.GetContact?.P50, o.GetContact?.P99 / b.GetContact?.P99, (double?)o.Cards / b.Cards,
                    o.PeakRssMiB / b.PeakRssMiB, o.BytesPerContact / b.BytesPerContact));
            }
        }

        Add("memory", "grpc-only");
        Add(Sustained("memory"), "grpc-only");
        foreach (var store in new[] { "sqlite", "postgres" })
        {
            Add(store, "grpc-only");
            Add(store, $"{store}-raw");
            Add(store, "memory");
            Add(Sustained(store), "grpc-only");
            Add(Sustained(store), Sustained($"{store}-raw"));
            Add(Sustained(store), Sustained("memory"));
            foreach (var loaded in runs.Where(r => r.Store == store && r.Workload == "cold" && r.Name.Contains('@', StringComparison.Ordinal)))
            {
                Add(loaded.Name, "memory" + loaded.Name[loaded.Name.IndexOf('@', StringComparison.Ordinal)..]);
            }
        }

        return ratios;
    }

    /// <summary>The row name of a store's sustained pass ("sqlite sustained").</summary>
    public static string Sustained(string store) => $"{store} sustained";

    private static string N(double? value, string format = "0.0") => value is { } v && double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "-";

    private static string P(double? share) => share is { } s && double.IsFinite(s) ? s.ToString("P0", CultureInfo.InvariantCulture) : "-";

    /// <summary>A ratio with two significant digits at least (0.0037, 0.63, 12.50).</summary>
    private static string R(double? value) => value is { } v && double.IsFinite(v) && v > 0
        ? v.ToString("F" + Math.Clamp(1 - (int)Math.Floor(Math.Log10(v)), 2, 6), CultureInfo.InvariantCulture)
        : N(value);

    private static void Table(TextWriter output, string[] header, IEnumerable<string[]> rows)
    {
        var all = rows.Prepend(header).ToList();
        var widths = header.Select((_, c) => all.Max(r => r[c].Length)).ToArray();
        string Line(string[] cells) => "| " + string.Join(" | ", cells.Select((cell, c) => c == 0 ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]))) + " |";
        output.WriteLine(Line(header));
        output.WriteLine("|" + string.Join("|", widths.Select((w, c) => c == 0 ? new string('-', w + 2) : new string('-', w + 1) + ":")) + "|");
        foreach (var row in all.Skip(1))
        {
            output.WriteLine(Line(row));
        }
    }
}
