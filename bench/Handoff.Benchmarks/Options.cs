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
          --events N                     events per pass (default 100000)
          --batch N                      events per batch (default 500; the host takes at most 1000)
          --concurrency N                IngestEvents streams, and raw storage writers (default 8)
          --in-flight N                  batches sent but not yet acknowledged, per stream (default 2)
          --skew S                       Zipf exponent of the contact distribution (default 0.99)
          --read-rate N                  GetContact calls per second while ingest runs (default 50)
          --load-factor F                the second pass runs at F times the first pass's rate (default 0.8)
          --seed N                       workload seed (default 42)
          --out FILE                     JSON results (default artifacts/bench-results.json, ignored by git)
        """;

    public int Contacts { get; init; } = 100_000;

    public int Events { get; init; } = 100_000;

    public int Batch { get; init; } = 500;

    public int Concurrency { get; init; } = 8;

    public int InFlight { get; init; } = 2;

    public string Store { get; init; } = "sqlite";

    public double Skew { get; init; } = 0.99;

    public double ReadRate { get; init; } = 50;

    public double LoadFactor { get; init; } = 0.8;

    public int Seed { get; init; } = 42;

    public string Out { get; init; } = "artifacts/bench-results.json";

    public bool Sqlite => Store is "sqlite" or "both";

    public bool Postgres => Store is "postgres" or "both";

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

            var value = i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value.\n{Usage}");
            options = name switch
            {
                "--store" => options with { Store = value is "sqlite" or "postgres" or "both" ? value : throw new ArgumentException($"--store {value}: sqlite, postgres or both.") },
                "--contacts" => options with { Contacts = Positive(name, value) },
                "--events" => options with { Events = Positive(name, value) },
                "--batch" => options with { Batch = Positive(name, value) },
                "--concurrency" => options with { Concurrency = Positive(name, value) },
                "--in-flight" => options with { InFlight = Positive(name, value) },
                "--skew" => options with { Skew = Number(name, value) },
                "--read-rate" => options with { ReadRate = Number(name, value) },
                "--load-factor" => options with { LoadFactor = Number(name, value) },
                "--seed" => options with { Seed = Positive(name, value) },
                "--out" => options with { Out = value },
                _ => throw new ArgumentException($"Unknown option {name}.\n{Usage}"),
            };
        }

        return options;
    }

    private static int Positive(string name, string value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new ArgumentException($"{name} {value}: a positive integer.");

    private static double Number(string name, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && x > 0 ? x : throw new ArgumentException($"{name} {value}: a positive number.");
}
