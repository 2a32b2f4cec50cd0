using System.Diagnostics;
using System.Globalization;
using Grpc.Net.Client;
using Handoff.Protos.V1;

namespace Handoff.Benchmarks;

/// <summary>The runs, in order, on the same batches; see docs/benchmark.md.</summary>
public sealed class Bench(Options options, CancellationToken cancellationToken)
{
    private readonly List<RunResult> runs = [];
    private Workload workload = null!;
    private Workload warmUp = null!;
    private Workload? sustained;
    private Workload? everyContact;

    public async Task<Report> RunAsync()
    {
        var generating = Stopwatch.StartNew();
        workload = Workload.Generate(options.Contacts, options.Events, options.Batch, options.Skew, options.Seed);
        warmUp = Workload.Generate(10_000, options.WarmUpBatches * options.Batch, options.Batch, options.Skew, options.Seed + 1, "warm-up-");
        Console.WriteLine(
            $"Workload: {workload.Events:N0} events in {workload.Batches.Count:N0} batches over {workload.ContactsTouched:N0} of {options.Contacts:N0} contacts " +
            $"(hottest contact {workload.TopContactShare:P1} of events, hottest 1% {workload.Top1PercentShare:P1}), generated in {generating.Elapsed.TotalSeconds:0.0} s");
        if (options.Sustained)
        {
            sustained = Workload.Generate(options.Contacts, options.SustainedEvents, options.Batch, options.Skew, options.Seed + 2);
            everyContact = Workload.EveryContact(options.Contacts, options.Batch, options.Seed + 3);
            Console.WriteLine(
                $"Sustained: {sustained.Events:N0} events over {sustained.ContactsTouched:N0} contacts (hottest {sustained.TopContactShare:P1}, hottest 1% {sustained.Top1PercentShare:P1}), " +
                $"after one event on each of the {options.Contacts:N0}");
        }

        Console.WriteLine($"Host: {HostProcess.ServerAssembly}; in-memory baseline: {HostProcess.MemoryHostAssembly}");

        await RawGrpcAsync();
        await HostAsync("memory", HostBinary.Memory, () => Task.FromResult<KeyValuePair<string, string>[]>([]));

        string? postgresDescription = null, postgresVersion = null;
        if (options.Sqlite)
        {
            await RawAsync("sqlite-raw", "sqlite", (batches, c) => RawStorage.SqliteAsync(Path.Combine(c, "raw.db"), batches, options.Concurrency, options.InFlight, cancellationToken));
            await RawSustainedAsync("sqlite-raw", "sqlite", (batches, c) => RawStorage.SqliteAsync(Path.Combine(c, "raw.db"), batches, options.Concurrency, options.InFlight, cancellationToken));
            await HostAsync("sqlite", HostBinary.Configured("Sqlite"), () => Task.FromResult<KeyValuePair<string, string>[]>([]));
        }

        if (options.Postgres)
        {
            await using var postgres = await PostgresServer.StartAsync();
            (postgresDescription, postgresVersion) = (postgres.Description, postgres.Version);
            Console.WriteLine($"PostgreSQL {postgres.Version}: {postgres.Description}");
            var raw = await postgres.CreateDatabaseAsync("raw");
            await RawAsync("postgres-raw", "postgres", (batches, _) => RawStorage.PostgreSqlAsync(raw, batches, options.Concurrency, options.InFlight, cancellationToken));
            var rawSustained = options.Sustained ? await postgres.CreateDatabaseAsync("raw") : null;
            await RawSustainedAsync("postgres-raw", "postgres", (batches, _) => RawStorage.PostgreSqlAsync(rawSustained!, batches, options.Concurrency, options.InFlight, cancellationToken));
            await HostAsync("postgres", HostBinary.Configured("PostgreSql"), async () =>
            {
                var cluster = $"bench-{Guid.NewGuid():N}";
                return
                [
                    new("Handoff:Server:Storage:PostgreSqlConnectionString", await postgres.CreateDatabaseAsync("host")),
                    new("Handoff:Server:Storage:ApplySchema", "true"),
                    new("Handoff:Server:Silo:ClusterId", cluster),
                    new("Handoff:Server:Silo:ServiceId", cluster),
                    new("Handoff:Server:Silo:AdvertisedIPAddress", "127.0.0.1"),
                ];
            });
        }

        return new Report(options, MachineInfo.Read(HostProcess.RepositoryRoot), workload, sustained, postgresDescription, postgresVersion, runs);
    }

    private async Task RawGrpcAsync()
    {
        await using var server = await RawGrpcServer.StartAsync();
        using var channel = Channel(server.Address);
        warmUp.Stamp("grpc-warm-up");
        await IngestDriver.RunAsync(channel, warmUp.Batches, options.Concurrency, options.InFlight, null, null, cancellationToken);
        workload.Stamp("grpc");
        var meter = new CpuMeter();
        var pass = await IngestDriver.RunAsync(channel, workload.Batches, options.Concurrency, options.InFlight, null, null, cancellationToken);
        Add(new RunResult("grpc-only", "raw gRPC limit: in-bench Kestrel that decodes and acknowledges", "none", pass) { Cpu = meter.Stop() });
    }

    private Task RawAsync(string name, string store, Func<IReadOnlyList<IngestEventsRequest>, string, Task<Pass>> append) =>
        RawPassAsync(name, store, append, [warmUp], workload, "cold");

    /// <summary>
    /// The raw storage limit on the sustained batches, into a table that first took the sustained host's warm-ups
    /// (uncounted), so it appends to a table of the size the host's journal has: the baseline of "store sustained".
    /// </summary>
    private Task RawSustainedAsync(string name, string store, Func<IReadOnlyList<IngestEventsRequest>, string, Task<Pass>> append) =>
        sustained is not null && everyContact is not null
            ? RawPassAsync(Report.Sustained(name), store, append, [warmUp, everyContact], sustained, "sustained")
            : Task.CompletedTask;

    private async Task RawPassAsync(string name, string store, Func<IReadOnlyList<IngestEventsRequest>, string, Task<Pass>> append,
        Workload[] warmUps, Workload measured, string kind)
    {
        var folder = Directory.CreateTempSubdirectory("handoff-bench-raw-").FullName;
        try
        {
            for (var i = 0; i < warmUps.Length; i++)
            {
                warmUps[i].Stamp($"{name}-warm-up-{i}");
                await append(warmUps[i].Batches, folder);
            }

            measured.Stamp(name);
            var meter = new CpuMeter();
            var pass = await append(measured.Batches, folder);
            Add(new RunResult(name, "raw storage limit: the batches made durable with no grain work (group commit, one prepared INSERT or unnest arrays)", store, pass)
            {
                Workload = kind,
                Cpu = meter.Stop(),
            });
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// The real host on one store, each pass on a fresh host process and a fresh store. Cold: twice from empty, a pass
    /// at full speed, then a pass throttled to the load factor of the first pass's rate, so both see the same work.
    /// Sustained: once at full speed, after every contact has been brought into the host (the throttled pass is left
    /// out there: at a million events it would double the run's time).
    /// </summary>
    private async Task HostAsync(string name, HostBinary binary, Func<Task<KeyValuePair<string, string>[]>> store)
    {
        if (options.Cold)
        {
            var peak = await HostPassAsync(name, name, binary, await store(), null, workload, null);
            await HostPassAsync($"{name}@{options.LoadFactor * 100:0}%", name, binary, await store(), peak.EventsPerSecond * options.LoadFactor, workload, null);
        }

        if (sustained is not null && everyContact is not null)
        {
            await HostPassAsync(Report.Sustained(name), name, binary, await store(), null, sustained, everyContact);
        }
    }

    /// <summary>
    /// One host process: a warm-up on contacts of its own, for the sustained pass one event on each contact (not
    /// counted either), then one pass over the batches with GetContact reads running; the cards the pass raised, the
    /// activations it made, and the host's RSS after the first warm-up and at its peak.
    /// </summary>
    private async Task<RunResult> HostPassAsync(string name, string store, HostBinary binary, KeyValuePair<string, string>[] settings, double? rate,
        Workload measured, Workload? contactsWarmUp)
    {
        var folder = Directory.CreateTempSubdirectory("handoff-bench-host-").FullName;
        try
        {
            // A fresh SQLite file in a temporary folder (for the SQLite store).
            var storeSettings = binary.Provider is null ? settings : settings.Append(new("Handoff:Server:Storage:Provider", binary.Provider));
            await using var host = HostProcess.Start(folder, storeSettings
                .Append(new("Handoff:Server:Storage:SqlitePath", Path.Combine(folder, "handoff.db"))), assembly: binary.Assembly);
            await host.WaitServingAsync(TimeSpan.FromMinutes(2));
            using var ingest = Channel(host.GrpcAddress);
            using var readChannel = Channel(host.GrpcAddress);
            var warmUpJitShares = await WarmUpAsync(host, ingest, readChannel, name);
            var startRss = host.Rss;
            if (contactsWarmUp is not null)
            {
                await PassAsync(ingest, readChannel, contactsWarmUp, $"{name}-contacts", null);
            }

            var cardsBefore = await ContactReader.CountSettledActiveCardsAsync(ingest);
            var countersBefore = await RuntimeCounters.ReadAsync(host, cancellationToken);
            var meter = new CpuMeter(host);
            Pass pass;
            Stats reads;
            try
            {
                (pass, reads) = await PassAsync(ingest, readChannel, measured, name, rate);
            }
            catch (InvalidOperationException e)
            {
                throw new InvalidOperationException($"{e.Message}\nThe host's last lines:\n{host.Output}", e);
            }

            var cpu = meter.Stop();
            var countersAfter = await RuntimeCounters.ReadAsync(host, cancellationToken);
            var cost = countersBefore.PerEvent(countersAfter, pass.Events);
            var cards = await ContactReader.CountSettledActiveCardsAsync(ingest) - cardsBefore;
            host.EnsureRunning();
            var what = contactsWarmUp is not null ? $"the host on {binary.Store}, full speed, every contact known and active"
                : rate is null ? $"the host on {binary.Store}, full speed" : $"the host on {binary.Store}, throttled to {rate:N0} events/s";
            return Add(new RunResult(name, what, store, pass)
            {
                Workload = contactsWarmUp is null ? "cold" : "sustained",
                TargetEventsPerSecond = rate,
                GetContact = reads,
                Cards = cards,
                Cpu = cpu,
                Cost = cost,
                Activations = countersBefore.ActivationsUntil(countersAfter),
                WarmUpJitShares = warmUpJitShares,
                StartRssMiB = Mib(startRss),
                PeakRssMiB = Mib(host.PeakRss),
                // Sustained: every contact was brought in after startRss was read, so all of them count.
                BytesPerContact = (double?)(host.PeakRss - startRss) / (contactsWarmUp?.ContactsTouched ?? measured.ContactsTouched),
            });
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// Warm-up rounds on the warm-up contacts, each with event ids of its own, until compiling code took at most
    /// <see cref="Options.SettledJitShare"/> of the host's CPU in <see cref="Options.SettledRounds"/> rounds in a row;
    /// returns the JIT's share of each round taken.
    /// </summary>
    private async Task<IReadOnlyList<double>> WarmUpAsync(HostProcess host, GrpcChannel ingest, GrpcChannel readChannel, string name)
    {
        var jitShares = new List<double>();
        var before = await RuntimeCounters.ReadAsync(host, cancellationToken);
        while (true)
        {
            await PassAsync(ingest, readChannel, warmUp, $"{name}-warm-up-{jitShares.Count + 1}", null);
            var after = await RuntimeCounters.ReadAsync(host, cancellationToken);
            jitShares.Add(before.JitShareUntil(after));
            var settled = jitShares.Count >= options.SettledRounds && jitShares[^options.SettledRounds..].All(share => share <= options.SettledJitShare);
            if (settled || jitShares.Count == options.MaxWarmUpRounds)
            {
                return jitShares;
            }

            // One reading ends a round and starts the next.
            before = after;
        }
    }

    private async Task<(Pass Pass, Stats Reads)> PassAsync(GrpcChannel ingest, GrpcChannel reads, Workload batches, string run, double? rate)
    {
        batches.Stamp(run);
        var reader = new ContactReader(batches.Batches);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reading = reader.RunAsync(reads, options.ReadRate, options.Seed, stop.Token);
        try
        {
            var pass = await IngestDriver.RunAsync(ingest, batches.Batches, options.Concurrency, options.InFlight, rate, reader.Acknowledged, cancellationToken);
            await stop.CancelAsync();
            return (pass, await reading);
        }
        finally
        {
            await stop.CancelAsync();
        }
    }

    private RunResult Add(RunResult run)
    {
        runs.Add(run);
        Console.WriteLine(
            $"  {run.Name,-22} {run.EventsPerSecond,9:N0} events/s in {run.Seconds,6:0.0} s, ack p50 {run.Ack.P50:0.0} p99 {run.Ack.P99:0.0} ms" +
            (run.GetContact is { } get ? $", GetContact p50 {get.P50:0.0} p99 {get.P99:0.0} ms" : "") +
            (run.Cards is { } cards ? $", {cards:N0} cards" : "") +
            (run.ActivationsPerSecond is { } activations ? $", {activations:N0} activations/s" : "") +
            (run.PeakRssMiB is { } rss ? $", peak RSS {rss:N0} MiB" : "") +
            (run.Cpu?.Host is { } host ? $", host CPU {host:0.00} cores" : "") +
            (run.Cost is { } cost ? $" ({cost.CpuMicroseconds:N0} µs, {cost.AllocatedBytes:N0} B allocated an event, GC pauses {cost.GcPauseShare:P0} of it, {cost.GcMeanPauseMs:N0} ms each on average, JIT {cost.JitShare:P0})" : "") +
            (run.Cpu is { } cpu ? $", bench {cpu.Bench:0.00}, others {cpu.Others:0.00} cores" : "") +
            (run.WarmUpJitShares is { } shares ? $"; warm-up rounds' JIT {string.Join(" ", shares.Select(share => share.ToString("P0", CultureInfo.InvariantCulture)))}" : ""));
        return run;
    }

    /// <summary>The key every host the benchmark starts trusts (<see cref="HostProcess.Start"/>), and tokens made with it.</summary>
    internal static Handoff.Tests.Support.TestCredentials Credentials { get; } = new();

    /// <summary>
    /// A channel whose calls carry the benchmark's own token (every role in the benchmark's tenant), or none when
    /// <paramref name="authorize"/> is false (the caller sends a token of its own with each call).
    /// </summary>
    internal static GrpcChannel Channel(string address, bool authorize = true)
    {
        var options = new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true },
            MaxReceiveMessageSize = 64 * 1024 * 1024,
        };
        if (authorize)
        {
            var token = Credentials.Token(Workload.Tenant, "bench");
            options.Credentials = Grpc.Core.ChannelCredentials.Create(Grpc.Core.ChannelCredentials.Insecure,
                Grpc.Core.CallCredentials.FromInterceptor((_, metadata) =>
                {
                    metadata.Add("authorization", $"Bearer {token}");
                    return Task.CompletedTask;
                }));
            options.UnsafeUseInsecureChannelCallCredentials = true;
        }

        return GrpcChannel.ForAddress(address, options);
    }

    private static double? Mib(long? bytes) => bytes / (1024.0 * 1024.0);

    /// <summary>
    /// The host binary a pass runs and the store its settings name: the in-memory baseline is a binary of its own, with
    /// the store plugged in rather than configured (the shipped host has no in-memory store).
    /// </summary>
    private sealed record HostBinary(string Assembly, string Store, string? Provider)
    {
        public static HostBinary Memory => new(HostProcess.MemoryHostAssembly, "Memory", null);

        public static HostBinary Configured(string provider) => new(HostProcess.ServerAssembly, provider, provider);
    }
}
