using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using Handoff.Protos.V1;

namespace Handoff.Benchmarks;

/// <summary>
/// The fan-out measurement (<c>--fanout</c>, docs/benchmark.md): on one host process, a full-speed ingest pass for the
/// peak; then <c>--subscribers</c> WatchNotifications streams on each of <c>--inboxes</c> user inboxes; then ingest
/// throttled to <c>--fanout-load</c> of the peak while single-event batches raise cards on "hot" SQL/WIN contacts owned
/// by those users. For every raise and every subscriber of its owner's inbox: arrival of the notification − ack of the
/// batch that raised it.
/// </summary>
public sealed class Fanout(Options options, CancellationToken cancellationToken)
{
    // The Kestrel default allows 100 concurrent streams per HTTP/2 connection; 90 leaves room.
    private const int StreamsPerChannel = 90;

    // "Asks for a person": raises a NEEDS_HUMAN_JUDGEMENT card at once, whatever the score.
    private const string RaisingText = "Can someone call me tomorrow morning?";

    public async Task<FanoutReport> RunAsync()
    {
        var results = new List<FanoutResult>();
        string? postgresDescription = null, postgresVersion = null;
        if (options.Sqlite)
        {
            results.Add(await RunOnAsync("sqlite", "Sqlite", []));
        }

        if (options.Postgres)
        {
            await using var postgres = await PostgresServer.StartAsync();
            (postgresDescription, postgresVersion) = (postgres.Description, postgres.Version);
            Console.WriteLine($"PostgreSQL {postgres.Version}: {postgres.Description}");
            var cluster = $"bench-{Guid.NewGuid():N}";
            results.Add(await RunOnAsync("postgres", "PostgreSql",
            [
                new("Handoff:Server:Storage:PostgreSqlConnectionString", await postgres.CreateDatabaseAsync("fanout")),
                new("Handoff:Server:Storage:ApplySchema", "true"),
                new("Handoff:Server:Silo:ClusterId", cluster),
                new("Handoff:Server:Silo:ServiceId", cluster),
                new("Handoff:Server:Silo:AdvertisedIPAddress", "127.0.0.1"),
            ]));
        }

        return new FanoutReport(options, MachineInfo.Read(HostProcess.RepositoryRoot), postgresDescription, postgresVersion, results);
    }

    private async Task<FanoutResult> RunOnAsync(string store, string provider, KeyValuePair<string, string>[] settings)
    {
        var folder = Directory.CreateTempSubdirectory("handoff-bench-fanout-").FullName;
        try
        {
            Console.WriteLine($"Fan-out on {store}: {options.Inboxes} inboxes x {options.Subscribers} subscribers, {options.Raises} raises over {options.FanoutSeconds} s");
            await using var host = HostProcess.Start(folder, settings
                .Append(new("Handoff:Server:Storage:Provider", provider))
                .Append(new("Handoff:Server:Storage:SqlitePath", Path.Combine(folder, "handoff.db"))));
            await host.WaitServingAsync(TimeSpan.FromMinutes(2));
            using var ingest = Bench.Channel(host.GrpcAddress);
            using var control = Bench.Channel(host.GrpcAddress);

            // Warm-up (JIT, pools, the raise and notification path on an inbox nobody watches), then the peak.
            var warmUp = Workload.Generate(1_000, 10 * options.Batch, options.Batch, options.Skew, options.Seed + 1, "warm-up-");
            warmUp.Stamp("fanout-warm-up");
            await IngestDriver.RunAsync(ingest, warmUp.Batches, options.Concurrency, options.InFlight, null, null, cancellationToken);
            var warmContacts = Enumerable.Range(0, 5).Select(i => ($"warm-hot-{i}", "u-warm-up")).ToList();
            await UpsertAsync(control, warmContacts);
            await RaiseAllAsync(ingest, warmContacts.Select(c => c.Item1).ToList(), TimeSpan.FromMilliseconds(100), "warm-raise");

            var peakWork = Workload.Generate(options.Contacts, options.PeakEvents, options.Batch, options.Skew, options.Seed, "peak-");
            peakWork.Stamp("fanout-peak");
            var peak = await IngestDriver.RunAsync(ingest, peakWork.Batches, options.Concurrency, options.InFlight, null, null, cancellationToken);
            var target = peak.EventsPerSecond * options.FanoutLoad;
            Console.WriteLine($"  peak {peak.EventsPerSecond:N0} events/s (ack p50 {peak.Ack.P50:0.0} p99 {peak.Ack.P99:0.0} ms); background at {target:N0} events/s");

            // The hot contacts: raises per inbox, each owned by one of the users, SQL in the WIN phase.
            var perInbox = (int)Math.Ceiling((double)options.Raises / options.Inboxes);
            var hot = Enumerable.Range(0, options.Raises)
                .Select(i => (Contact: $"hot-{i % options.Inboxes:000}-{i / options.Inboxes}", Owner: User(i % options.Inboxes)))
                .ToList();
            await UpsertAsync(control, hot);
            var ownerOf = hot.ToDictionary(h => h.Contact, h => h.Owner);

            // The subscribers, over several channels, each told subscribed by its first message (a heartbeat).
            var subscribing = Stopwatch.StartNew();
            var channelCount = (int)Math.Ceiling((double)options.Inboxes * options.Subscribers / StreamsPerChannel);
            // Each subscriber watches as its inbox's user, with a token of its own.
            var channels = Enumerable.Range(0, channelCount).Select(_ => Bench.Channel(host.GrpcAddress, authorize: false)).ToList();
            using var stopWatching = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var subscribers = new List<Subscriber>();
            for (var inbox = 0; inbox < options.Inboxes; inbox++)
            {
                for (var s = 0; s < options.Subscribers; s++)
                {
                    var index = subscribers.Count;
                    subscribers.Add(new Subscriber(User(inbox), channels[index % channelCount], stopWatching.Token));
                }
            }

            try
            {
                var subscribeDeadline = DateTime.UtcNow + options.SubscribeTimeout;
                foreach (var subscriber in subscribers)
                {
                    var left = subscribeDeadline - DateTime.UtcNow;
                    if (left <= TimeSpan.Zero || !await subscriber.First.Task.WaitAsync(left, cancellationToken).ContinueWith(t => t.IsCompletedSuccessfully, TaskScheduler.Default))
                    {
                        host.EnsureRunning();
                        throw new TimeoutException($"{subscribers.Count(x => !x.First.Task.IsCompletedSuccessfully)} of {subscribers.Count} streams got no first message within {options.SubscribeTimeout}" +
                            (subscriber.Failure is { } f ? $" (one failed: {f.Message})" : ""));
                    }
                }

                var subscribeSeconds = subscribing.Elapsed.TotalSeconds;
                Console.WriteLine($"  {subscribers.Count:N0} streams on {channelCount} channels subscribed in {subscribeSeconds:0.0} s");

                // Background ingest at the target rate for the measurement's length, raises spread over it.
                var background = Workload.Generate(options.Contacts, Math.Max(options.Batch, (int)(target * options.FanoutSeconds)), options.Batch, options.Skew, options.Seed + 2, "background-");
                background.Stamp("fanout-background");
                var meter = new CpuMeter(host);
                var ingesting = IngestDriver.RunAsync(ingest, background.Batches, options.Concurrency, options.InFlight, target, null, cancellationToken);
                var raises = await RaiseAllAsync(ingest, hot.Select(h => h.Contact).ToList(), TimeSpan.FromSeconds(options.FanoutSeconds) / options.Raises, "raise");
                var pass = await ingesting;
                var cpu = meter.Stop();

                // Every subscriber must get every notification of its inbox.
                var expected = subscribers.Sum(s => hot.Count(h => h.Owner == s.User));
                var deliveryDeadline = DateTime.UtcNow + options.DeliveryTimeout;
                int Received() => subscribers.Sum(s => s.Arrivals.Keys.Count(ownerOf.ContainsKey));
                while (Received() < expected && DateTime.UtcNow < deliveryDeadline)
                {
                    host.EnsureRunning();
                    await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
                }

                var received = Received();
                var latencies = new List<double>();
                var sendToArrival = new List<double>();
                var lastArrival = new Dictionary<string, long>();
                foreach (var subscriber in subscribers)
                {
                    foreach (var (contact, arrival) in subscriber.Arrivals)
                    {
                        if (raises.TryGetValue(contact, out var raise))
                        {
                            latencies.Add(Ms(arrival - raise.Acked));
                            sendToArrival.Add(Ms(arrival - raise.Sent));
                            lastArrival[contact] = Math.Max(lastArrival.GetValueOrDefault(contact, long.MinValue), arrival);
                        }
                    }
                }

                var allSubscribers = Stats.Of(lastArrival.Select(a => Ms(a.Value - raises[a.Key].Acked)));

                var failures = subscribers.Where(s => s.Failure is not null).Select(s => $"{s.User}: {s.Failure!.Message}").Distinct().Take(3).ToList();
                var result = new FanoutResult(store, options.Inboxes, options.Subscribers, subscribers.Count, channelCount, options.Raises, perInbox,
                    peak.EventsPerSecond, target, pass.EventsPerSecond, pass.Ack, subscribeSeconds, expected, received,
                    Stats.Of(latencies), allSubscribers, Stats.Of(raises.Values.Select(r => Ms(r.Acked - r.Sent))), Stats.Of(sendToArrival),
                    latencies.Count(l => l < 0), cpu, Mib(host.PeakRss));
                Console.WriteLine(
                    $"  background {pass.EventsPerSecond:N0} events/s (ack p99 {pass.Ack.P99:0.0} ms); {received:N0} of {expected:N0} deliveries; " +
                    $"ack→arrival p50 {result.Latency.P50:0.00} p99 {result.Latency.P99:0.0} max {result.Latency.Max:0.0} ms; raise ack p50 {result.RaiseAck.P50:0.0} ms");
                if (received < expected || failures.Count > 0)
                {
                    throw new InvalidOperationException(
                        $"Fan-out on {store}: {received} of {expected} deliveries arrived within {options.DeliveryTimeout} after the last raise" +
                        (failures.Count > 0 ? $"; streams failed: {string.Join("; ", failures)}" : "") + $"\n{host.Output}");
                }

                host.EnsureRunning();
                return result;
            }
            finally
            {
                await stopWatching.CancelAsync();
                await Task.WhenAll(subscribers.Select(s => s.Done));
                foreach (var channel in channels)
                {
                    channel.Dispose();
                }
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private string User(int inbox) => $"u-{inbox:000}";

    private async Task UpsertAsync(GrpcChannel channel, IReadOnlyList<(string Contact, string Owner)> contacts)
    {
        var client = new ContactService.ContactServiceClient(channel);
        await Parallel.ForEachAsync(contacts, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (c, token) =>
            await client.UpsertContactAsync(new UpsertContactRequest
            {
                TenantId = Workload.Tenant,
                ContactId = c.Contact,
                DisplayName = c.Contact,
                OwnerUserId = c.Owner,
                Stage = LifecycleStage.Sql,
                Phase = PipelinePhase.Win,
                ActorUserId = "bench",
            }, cancellationToken: token));
    }

    /// <summary>
    /// One IngestEvents stream; contact i's single-event batch is due at start + i × interval (open loop). Returns,
    /// per contact, when its batch was sent and when its acknowledgement was read.
    /// </summary>
    private async Task<Dictionary<string, (long Sent, long Acked)>> RaiseAllAsync(GrpcChannel channel, IReadOnlyList<string> contacts, TimeSpan interval, string run)
    {
        var client = new IngestService.IngestServiceClient(channel);
        using var call = client.IngestEvents(cancellationToken: cancellationToken);
        var sent = new ConcurrentDictionary<string, (string Contact, long Sent)>();
        var acked = new Dictionary<string, (long Sent, long Acked)>();
        var reader = Task.Run(async () =>
        {
            await foreach (var ack in call.ResponseStream.ReadAllAsync(cancellationToken))
            {
                var now = Stopwatch.GetTimestamp();
                if (!sent.TryRemove(ack.BatchId, out var batch) || ack.AcceptedCount != 1 || ack.Rejected.Count != 0)
                {
                    throw new InvalidOperationException($"Raise {ack.BatchId}: unexpected acknowledgement ({ack.AcceptedCount} accepted, {ack.DuplicateCount} duplicate, {ack.Rejected.Count} rejected).");
                }

                acked[batch.Contact] = (batch.Sent, now);
            }
        }, cancellationToken);

        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < contacts.Count; i++)
        {
            var due = start + (long)(interval.TotalSeconds * i * Stopwatch.Frequency);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, cancellationToken);
            }

            var batchId = $"{run}-{i}";
            var request = new IngestEventsRequest { TenantId = Workload.Tenant, BatchId = batchId };
            request.Events.Add(new EngagementEvent
            {
                EventId = $"{run}-{i}-0",
                ContactId = contacts[i],
                Type = EventType.EmailReplied,
                Channel = Protos.V1.Channel.Email,
                Text = RaisingText,
                OccurTime = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow - TimeSpan.FromSeconds(1)),
            });
            sent[batchId] = (contacts[i], Stopwatch.GetTimestamp());
            await call.RequestStream.WriteAsync(request, cancellationToken);
        }

        await call.RequestStream.CompleteAsync();
        await reader;
        return acked.Count == contacts.Count
            ? acked
            : throw new InvalidOperationException($"{contacts.Count - acked.Count} of {contacts.Count} raises were not acknowledged.");
    }

    private static double Ms(long stopwatchTicks) => stopwatchTicks * 1000.0 / Stopwatch.Frequency;

    private static double? Mib(long? bytes) => bytes / (1024.0 * 1024.0);

    /// <summary>One WatchNotifications stream on one user's inbox: when each contact's notification arrived.</summary>
    private sealed class Subscriber
    {
        public Subscriber(string user, GrpcChannel channel, CancellationToken cancellationToken)
        {
            User = user;
            Done = Task.Run(() => WatchAsync(channel, cancellationToken), CancellationToken.None);
        }

        public string User { get; }

        public TaskCompletionSource First { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ConcurrentDictionary<string, long> Arrivals { get; } = new();

        public Exception? Failure { get; private set; }

        public Task Done { get; }

        private async Task WatchAsync(GrpcChannel channel, CancellationToken cancellationToken)
        {
            try
            {
                var client = new NotificationService.NotificationServiceClient(channel);
                using var call = client.WatchNotifications(new WatchNotificationsRequest
                {
                    TenantId = Workload.Tenant,
                    Inbox = new InboxRef { Kind = InboxKind.User, UserId = User },
                }, Bench.Credentials.Headers(Workload.Tenant, User, "agent"), cancellationToken: cancellationToken);
                await foreach (var message in call.ResponseStream.ReadAllAsync(cancellationToken))
                {
                    var now = Stopwatch.GetTimestamp();
                    if (message.EventCase == WatchNotificationsResponse.EventOneofCase.Notification)
                    {
                        Arrivals.TryAdd(message.Notification.ContactId, now);
                    }

                    First.TrySetResult();
                }
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                // Stopped at the end.
            }
            catch (Exception e)
            {
                Failure = e;
                First.TrySetException(e);
            }
        }
    }
}

/// <summary>What the fan-out measured on one store; latencies in milliseconds.</summary>
/// <param name="Latency">Per delivery: arrival at the subscriber − acknowledgement of the raising batch (negative when the notification came first).</param>
/// <param name="LastSubscriber">Per raise: arrival at the last subscriber of its inbox − acknowledgement of the raising batch.</param>
/// <param name="RaiseAck">Per raise: send of its single-event batch to its acknowledgement.</param>
/// <param name="SendToArrival">Per delivery: send of the raising batch to arrival at the subscriber.</param>
public sealed record FanoutResult(string Store, int Inboxes, int SubscribersPerInbox, int Streams, int Channels, int Raises, int RaisesPerInbox,
    double PeakEventsPerSecond, double TargetEventsPerSecond, double BackgroundEventsPerSecond, Stats BackgroundAck, double SubscribeSeconds,
    int ExpectedDeliveries, int ReceivedDeliveries, Stats Latency, Stats LastSubscriber, Stats RaiseAck, Stats SendToArrival, int NegativeLatencies, CpuUse Cpu, double? PeakRssMiB);

public sealed class FanoutReport(Options options, MachineInfo machine, string? postgres, string? postgresVersion, IReadOnlyList<FanoutResult> results)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    public void Print(TextWriter output)
    {
        output.WriteLine();
        output.WriteLine($"Fan-out: {options.Inboxes} user inboxes x {options.Subscribers} WatchNotifications streams, {options.Raises} card raises over {options.FanoutSeconds} s, " +
            $"background ingest at {options.FanoutLoad:0.##} x peak (batches of {options.Batch}, {options.Concurrency} streams x {options.InFlight} in flight)");
        output.WriteLine($"{machine.Cpu}, {machine.Cores} cores, {machine.MemoryGiB} GiB, {machine.Os}, {machine.Dotnet}; client and server on the same machine");
        string[] header =
        [
            "store", "streams", "peak ev/s", "background ev/s", "bg ack p99 ms", "deliveries", "ack→arrival p50 ms", "p99 ms", "max ms",
            "< 0", "last subscriber p50 ms", "p99 ms", "raise ack p50 ms", "raise ack p99 ms", "send→arrival p99 ms", "host CPU", "bench CPU", "peak RSS MiB",
        ];
        var rows = results.Select(r => new[]
        {
            r.Store, N(r.Streams, "N0"), N(r.PeakEventsPerSecond, "N0"), $"{N(r.BackgroundEventsPerSecond, "N0")} of {N(r.TargetEventsPerSecond, "N0")}",
            N(r.BackgroundAck.P99), $"{r.ReceivedDeliveries:N0} of {r.ExpectedDeliveries:N0}", N(r.Latency.P50, "0.00"), N(r.Latency.P99), N(r.Latency.Max),
            N(r.NegativeLatencies, "N0"), N(r.LastSubscriber.P50, "0.00"), N(r.LastSubscriber.P99), N(r.RaiseAck.P50), N(r.RaiseAck.P99), N(r.SendToArrival.P99), N(r.Cpu.Host, "0.00"), N(r.Cpu.Bench, "0.00"), N(r.PeakRssMiB, "N0"),
        });
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

    public async Task WriteJsonAsync(string path)
    {
        var document = new
        {
            Parameters = options,
            Machine = machine,
            PostgreSql = postgres is null ? null : new { Server = postgres, Version = postgresVersion },
            Fanout = results,
        };
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(document, Json));
    }

    private static string N(double? value, string format = "0.0") => value is { } v && double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "-";
}
