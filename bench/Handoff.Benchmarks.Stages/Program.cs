using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Google.Protobuf;
using Handoff.Benchmarks;
using Handoff.Benchmarks.Stages;
using Handoff.Domain.Cards;
using Handoff.Domain.Contacts;
using Handoff.Domain.Evaluation;
using Handoff.Domain.Model;
using Handoff.Domain.Scoring;
using Handoff.Domain.Triggers;
using Handoff.Grains;
using Handoff.Grains.Contacts;
using Handoff.Grains.Journal;
using Handoff.Server.Hosting;
using Handoff.Server.Ingest;
using Handoff.Server.Mapping;
using Handoff.Server.Observability;
using Handoff.Storage;
using Handoff.Storage.Journal;
using Handoff.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Serialization;
using V1 = Handoff.Protos.V1;

// The ingest cost budget (docs/ingest-durability.md): the host's own code for each stage of an event's path, on the
// benchmark's workload (same seed, sizes and skew), one stage at a time in this process, each run once to compile and
// once measured. A stage's cost is the process's CPU time and managed bytes allocated over the measured run, per event.
// The grain call is a call to a grain that does nothing, in a silo of this process, so that Orleans' messaging is counted
// apart from the contact's work. What the host spends beyond these stages (the gRPC server, card effects, state writes,
// garbage collection of a long-running heap) is the host pass's cost (bench/Handoff.Benchmarks) less their sum.
var events = Argument("--events", 100_000);
var workload = Workload.Generate(Argument("--contacts", 100_000), events, Argument("--batch", 500), 0.99, Argument("--seed", 42));
var frames = workload.Batches.Select(b => b.ToByteArray()).ToArray();
var folder = Directory.CreateTempSubdirectory("handoff-stages-").FullName;
var results = new List<(string Stage, double Micros, double Bytes)>();
// Stages of the memory baseline, not of the durable path: printed apart from the sum.
var baselineResults = new List<(string Stage, double Micros, double Bytes)>();

var services = new ServiceCollection().AddMetrics().AddSerializer(s => s.AddAssembly(typeof(EngagementEvent).Assembly))
    .AddHandoffGrainServices(new ConfigurationBuilder().Build()).BuildServiceProvider();
var pipeline = new IngestPipeline(null!, null!, Options.Create(new IngestOptions()), Options.Create(new ApiOptions()),
    Options.Create(new ContactOptions()), TimeProvider.System,
    new IngestMetrics(services.GetRequiredService<IMeterFactory>(), new IngestAdmission(Options.Create(new IngestOptions()), Options.Create(new AdaptiveLimitOptions()), TimeProvider.System)));
var scoring = new ScoringOptions();
var sentiment = new SentimentAnalyzer(new SentimentOptions());
var scorer = new EngagementScorer(scoring, sentiment);
var triggers = new HandoffTriggerEvaluator(new TriggerOptions(), scorer, sentiment);
var cardRules = new CardRules(new CardOptions());
var appraiser = new EventAppraiser(scorer, triggers);
var assessor = new WindowAssessor(scorer);
var windowTriggers = new WindowTriggerEvaluator(triggers, assessor);
var engine = services.GetRequiredService<HandoffEngine>();
var stateFormat = new BinaryStateSerializer(services.GetRequiredService<Serializer>());

// A silo of this process, with no storage, for the grain call's own cost.
using var silo = Host.CreateDefaultBuilder()
    .ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
    .UseOrleans(s => s.UseLocalhostClustering(siloPort: FreePort(), gatewayPort: FreePort()))
    .Build();
await silo.StartAsync();
var grains = silo.Services.GetRequiredService<IGrainFactory>();

try
{
    for (var run = 0; run < 2; run++)
    {
        var measured = run == 1;
        var stamp = $"r{run}";
        workload.Stamp(stamp);
        var frameOf = workload.Batches.Select(b => b.ToByteArray()).ToArray();
        V1.IngestEventsRequest[] decoded = [];
        Stage("decode (protobuf, per batch)", measured, () => decoded = frameOf.Select(V1.IngestEventsRequest.Parser.ParseFrom).ToArray());

        var now = DateTimeOffset.UtcNow;
        var entries = new List<JournalEntry>[decoded.Length];
        Stage("validate and map (proto → EngagementEvent)", measured, () =>
        {
            for (var b = 0; b < decoded.Length; b++)
            {
                var list = entries[b] = new List<JournalEntry>(decoded[b].Events.Count);
                for (var i = 0; i < decoded[b].Events.Count; i++)
                {
                    var e = decoded[b].Events[i];
                    if (!pipeline.ValidateEvent(e, i, now).IsValid)
                    {
                        throw new InvalidOperationException($"Event {e.EventId} is not valid.");
                    }

                    list.Add(new JournalEntry(e.ContactId, e.ToJournaled(now)));
                }
            }
        });

        await using (var journal = new SqliteEventJournal(Path.Combine(folder, $"{stamp}.events.db"), services.GetRequiredService<Serializer>()))
        {
            await StageAsync("journal append (SQLite, one batch at a time)", measured, async () =>
            {
                foreach (var batch in entries)
                {
                    await journal.AppendAsync(Workload.Tenant, batch, now);
                }
            });
        }

        // Not a stage of the durable path: the memory baseline's journal, which its host pays instead of a store's, so that
        // the memory pass's cost can be read as the host's work without storage.
        var memoryJournal = new MemoryEventJournal();
        await StageAsync("journal append (memory, the baseline's own)", measured, async () =>
        {
            foreach (var batch in entries)
            {
                await memoryJournal.AppendAsync(Workload.Tenant, batch, now);
            }
        }, into: baselineResults);

        // The contact's side, per contact and batch as the pipeline groups them: dedupe, the window brought up to date in
        // place, then (second stage) the score, the triggers and the card decision on that window. The second stage
        // includes the appraisal of each new event on arrival (its weight, tone and request kinds), the evaluation's
        // per-event share; the first stage inserts the same events unappraised.
        var groups = entries.Select(batch => batch.GroupBy(e => e.ContactId).Select(g => (Contact: g.Key, Events: g.Select(e => e.Event).ToList())).ToList()).ToList();
        await StageAsync("grain call (Orleans messaging, one call per contact and batch)", measured, async () =>
        {
            foreach (var batch in groups)
            {
                await Task.WhenAll(batch.Select(g => grains.ByKey<IProbeGrain>(g.Contact).Take(g.Events)));
            }
        });

        var windowOnly = Contacts(evaluate: false, measured ? "contact: dedupe and window upkeep" : null);
        var withEvaluation = Contacts(evaluate: true, null);
        if (measured)
        {
            results.Add(("contact: score, triggers and card decision on the window", withEvaluation.Micros - windowOnly.Micros, withEvaluation.Bytes - windowOnly.Bytes));
        }

        // A checkpoint of each contact touched, once, after its events: the state's stored parts brought up to date
        // (the window's stored form among them), the copy the write takes, and the state serialized as the grain storage
        // does. Once per contact is about the sustained pass's rate (one contact-state write per 24 events), not a rule.
        var models = groups.SelectMany(batch => batch).GroupBy(g => g.Contact).Select(contact =>
        {
            var model = new ContactModel(new ContactState { Exists = true }, Workload.Tenant, contact.Key, engine);
            foreach (var e in contact.SelectMany(g => g.Events))
            {
                model.Window.Add(engine.Appraiser.Appraise(e));
            }

            model.Window.Trim(now);
            return model;
        }).ToList();
        Stage("checkpoint: stored form and serialization of the state", measured, () =>
        {
            foreach (var model in models)
            {
                model.PrepareForWrite(now);
                stateFormat.Prepare(model.State);
                model.ReleaseStoredForms();
            }
        });

        (double Micros, double Bytes) Contacts(bool evaluate, string? name)
        {
            var windows = new Dictionary<string, (SeenEventIds Seen, AppraisedWindow Window)>(StringComparer.Ordinal);
            return Stage(name, name is not null, () =>
            {
                foreach (var batch in groups)
                {
                    foreach (var (contact, stored) in batch)
                    {
                        if (!windows.TryGetValue(contact, out var known))
                        {
                            windows[contact] = known = (new SeenEventIds(new Dictionary<ulong, long>()), new AppraisedWindow(scoring));
                        }

                        foreach (var e in stored)
                        {
                            if (known.Seen.TryRemember(e.EventId, e.OccurredAt))
                            {
                                var domain = e;
                                known.Window.Add(evaluate ? appraiser.Appraise(domain) : new AppraisedEvent(domain, 0, Sentiment.Unknown, 0));
                            }
                        }

                        known.Window.Trim(now);
                        if (evaluate)
                        {
                            var assessment = assessor.Assess(known.Window, now);
                            var findings = windowTriggers.Evaluate(new ContactProfile(contact, "", "", LifecycleStage.Lead, PipelinePhase.Discover), known.Window, assessment, now);
                            cardRules.Decide(new CardDecisionInput(null, null, false, findings, now));
                        }
                    }
                }
            });
        }
    }
}
finally
{
    await silo.StopAsync();
    Directory.Delete(folder, recursive: true);
}

var calls = workload.Batches.Sum(b => b.Events.Select(e => e.ContactId).Distinct().Count());
Console.WriteLine($"{events:N0} events in batches of {workload.Batches[0].Events.Count} over {workload.ContactsTouched:N0} contacts " +
    $"({(double)events / calls:0.00} events a contact's call); {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}");
Console.WriteLine("| stage | CPU µs/event | bytes allocated/event |");
Console.WriteLine("|---|---:|---:|");
foreach (var (stage, micros, bytes) in results)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {stage} | {micros:0.0} | {bytes:N0} |"));
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| sum of the stages | {results.Sum(r => r.Micros):0.0} | {results.Sum(r => r.Bytes):N0} |"));
foreach (var (stage, micros, bytes) in baselineResults)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {stage} | {micros:0.0} | {bytes:N0} |"));
}
return;

(double Micros, double Bytes) Stage(string? name, bool measured, Action action) =>
    StageAsync(name, measured, () => { action(); return Task.CompletedTask; }).GetAwaiter().GetResult();

async Task<(double Micros, double Bytes)> StageAsync(string? name, bool measured, Func<Task> action, List<(string Stage, double Micros, double Bytes)>? into = null)
{
    GC.Collect();
    GC.WaitForPendingFinalizers();
    var process = Process.GetCurrentProcess();
    var cpu = process.TotalProcessorTime;
    var allocated = GC.GetTotalAllocatedBytes(precise: true);
    await action();
    process.Refresh();
    var cost = ((process.TotalProcessorTime - cpu).TotalMicroseconds / events, (double)(GC.GetTotalAllocatedBytes(precise: true) - allocated) / events);
    if (measured && name is not null)
    {
        (into ?? results).Add((name, cost.Item1, cost.Item2));
    }

    return cost;
}

static int FreePort()
{
    using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
    listener.Start();
    return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
}

int Argument(string name, int fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
}
