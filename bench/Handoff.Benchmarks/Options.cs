using System.Globalization;

namespace Handoff.Benchmarks;

/// <summary>The command line. Every option has a default sized for a few minutes on a small machine.</summary>
public sealed record Options
{
    public const string Usage = """
        dotnet run -c Release --project bench/Handoff.Benchmarks -- [options]

          --store sqlite|postgres|both   durable store(s) to measure (default sqlite); the raw gRPC and the in-memory
                                         baselines always run. postgres: HANDOFF_BENCH_POSTGRES or a throwaway initdb cluster
          --contacts N                   contacts events are drawn from (default 100000)
          --events N                     events per cold pass (default 100000)
          --workload cold|sustained|both the host passes to run (default both): cold, a fresh host whose contacts are
                                         all new (full speed and throttled); sustained, a fresh host that first sees
                                         every one of --contacts once (uncounted), then --sustained-events over them
          --sustained-events N           events of the sustained pass (default 1000000)
          --batch N                      events per batch (default 500; the host takes at most 1000)
          --concurrency N                IngestEvents streams, and raw storage writers (default 8)
          --in-flight N                  batches sent but not yet acknowledged, per stream (default 2)
          --skew S                       Zipf exponent of the contact distribution (default 0.99)
          --read-rate N                  GetContact calls per second while ingest runs (default 50)
          --load-factor F                the second pass runs at F times the first pass's rate (default 0.8)
          --seed N                       workload seed (default 42)
          --warm-up N                    batches of a warm-up round: each host takes rounds first, uncounted, on
                                         10,000 contacts of its own (default 60: every path, cards and notifications
                                         included, is run in the first round)
          --warm-up-rounds N             most warm-up rounds; rounds go on until compiling code (the JIT) took at
                                         most 2% of the host's CPU in two rounds in a row (default 40)
          --out FILE                     JSON results (default artifacts/bench-results.json, with --fanout
                                         artifacts/bench-fanout.json; ignored by git)

        Fan-out (instead of the ingest runs; on each --store, one host process):
          --fanout                       measure notification fan-out: card raise ack to arrival at every subscriber
          --inboxes N                    user inboxes watched, users u-000.. (default 200)
          --subscribers N                WatchNotifications streams per inbox (default 5)
          --raises N                     cards raised, spread evenly over the inboxes (default 400)
          --fanout-seconds N             how long background ingest runs with the raises spread over it (default 40)
          --fanout-load F                background ingest at F times the peak measured first (default 0.5)
          --peak-events N                events of the full-speed pass that measures the peak (default 20000)

        Scale (instead of the ingest runs; one host on SQLite):
          --scale                        one event for each of --contacts contacts (default 1000000 here), then
                                         GetContact on a sample of them; reports RSS and bytes per contact
          --scale-sample N               contacts read back, evenly spread (default 10000)
          --host-heap-limit-mib N        the host's GC heap limit (DOTNET_GCHeapHardLimit; default 3072, 0: none)
        """;

    public int Contacts { get; init; } = 100_000;

    public int Events { get; init; } = 100_000;

    public string Workload { get; init; } = "both";

    public int SustainedEvents { get; init; } = 1_000_000;

    public int Batch { get; init; } = 500;

    public int Concurrency { get; init; } = 8;

    public int InFlight { get; init; } = 2;

    public string Store { get; init; } = "sqlite";

    public double Skew { get; init; } = 0.99;

    public double ReadRate { get; init; } = 50;

    public double LoadFactor { get; init; } = 0.8;

    public int Seed { get; init; } = 42;

    public int WarmUpBatches { get; init; } = 60;

    public int MaxWarmUpRounds { get; init; } = 40;

    /// <summary>
    /// The warm-up is done when compiling code took at most this share of the host's CPU in a round: a fresh process
    /// compiles its hot code a second time, optimized, only after it has run a while, and a pass measured before that
    /// would count start-up cost, which a host running for days does not pay, as cost per event.
    /// </summary>
    public double SettledJitShare { get; init; } = 0.02;

    /// <summary>
    /// Rounds in a row that must each stay within <see cref="SettledJitShare"/>: the runtime's compile time moves in
    /// steps, and a single round read 0% in the middle of a host's compiling (2026-12-07).
    /// </summary>
    public int SettledRounds { get; init; } = 2;

    public string Out { get; init; } = "artifacts/bench-results.json";

    public bool Fanout { get; init; }

    public int Inboxes { get; init; } = 200;

    public int Subscribers { get; init; } = 5;

    public int Raises { get; init; } = 400;

    public int FanoutSeconds { get; init; } = 40;

    public double FanoutLoad { get; init; } = 0.5;

    public int PeakEvents { get; init; } = 20_000;

    public bool Scale { get; init; }

    public int ScaleSample { get; init; } = 10_000;

    public int HostHeapLimitMib { get; init; } = 3072;

    /// <summary>How long all streams may take to get their first message (a heartbeat: 15 s by default in the host).</summary>
    public TimeSpan SubscribeTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>After the last raise, how long every delivery may take before the run fails.</summary>
    public TimeSpan DeliveryTimeout { get; init; } = TimeSpan.FromSeconds(30);

    [System.Text.Json.Serialization.JsonIgnore]
    public bool OutGiven { get; init; }

    public bool Sqlite => Store is "sqlite" or "both";

    public bool Postgres => Store is "postgres" or "both";

    public bool Cold => Workload is "cold" or "both";

    public bool Sustained => Workload is "sustained" or "both";

    public static Options Parse(string[] args)
    {
        var options = new Options();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (name is "-h" or "--help")
            {
                throw new ArgumentException(Usage);
            }

            if (name is "--scale")
            {
                options = options with { Scale = true, Contacts = args.Contains("--contacts") ? options.Contacts : 1_000_000, Out = options.OutGiven ? options.Out : "artifacts/bench-scale.json" };
                continue;
            }

            if (name is "--fanout")
            {
                options = options with { Fanout = true };
                continue;
            }

            var value = i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value.\n{Usage}");
            options = name switch
            {
                "--store" => options with { Store = value is "sqlite" or "postgres" or "both" ? value : throw new ArgumentException($"--store {value}: sqlite, postgres or both.") },
                "--contacts" => options with { Contacts = Positive(name, value) },
                "--events" => options with { Events = Positive(name, value) },
                "--workload" => options with { Workload = value is "cold" or "sustained" or "both" ? value : throw new ArgumentException($"--workload {value}: cold, sustained or both.") },
                "--sustained-events" => options with { SustainedEvents = Positive(name, value) },
                "--batch" => options with { Batch = Positive(name, value) },
                "--concurrency" => options with { Concurrency = Positive(name, value) },
                "--in-flight" => options with { InFlight = Positive(name, value) },
                "--skew" => options with { Skew = Number(name, value) },
                "--read-rate" => options with { ReadRate = Number(name, value) },
                "--load-factor" => options with { LoadFactor = Number(name, value) },
                "--seed" => options with { Seed = Positive(name, value) },
                "--warm-up" => options with { WarmUpBatches = Positive(name, value) },
                "--warm-up-rounds" => options with { MaxWarmUpRounds = Positive(name, value) },
                "--out" => options with { Out = value, OutGiven = true },
                "--scale-sample" => options with { ScaleSample = Positive(name, value) },
                "--host-heap-limit-mib" => options with { HostHeapLimitMib = int.Parse(value, CultureInfo.InvariantCulture) },
                "--inboxes" => options with { Inboxes = Positive(name, value) },
                "--subscribers" => options with { Subscribers = Positive(name, value) },
                "--raises" => options with { Raises = Positive(name, value) },
                "--fanout-seconds" => options with { FanoutSeconds = Positive(name, value) },
                "--fanout-load" => options with { FanoutLoad = Number(name, value) },
                "--peak-events" => options with { PeakEvents = Positive(name, value) },
                _ => throw new ArgumentException($"Unknown option {name}.\n{Usage}"),
            };
        }

        return options.Fanout && !options.OutGiven ? options with { Out = "artifacts/bench-fanout.json" } : options;
    }

    private static int Positive(string name, string value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new ArgumentException($"{name} {value}: a positive integer.");

    private static double Number(string name, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && x > 0 ? x : throw new ArgumentException($"{name} {value}: a positive number.");
}
