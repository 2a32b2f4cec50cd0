using System.Diagnostics;
using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using Handoff.Protos.V1;

namespace Handoff.Benchmarks;

/// <summary>
/// How many contacts one host holds (<c>--scale</c>, docs/benchmark.md): one event for each of <c>--contacts</c>
/// contacts, ingested at full speed into one host on the embedded default; then GetContact on an evenly spread sample
/// of them, each checked to hold its event. Reports the ingest rate and the host's memory: RSS after ingest, its peak,
/// and the growth per contact over the RSS of the idle host.
/// </summary>
public sealed class Scale(Options options, CancellationToken cancellationToken)
{
    private const int BatchSize = 1000;

    public async Task<ScaleResult> RunAsync()
    {
        var folder = Directory.CreateTempSubdirectory("handoff-bench-scale-").FullName;
        try
        {
            // The memory the host may use, as a container limit would give it: the GC and Orleans' activation shedding
            // work against it.
            await using var host = HostProcess.Start(folder,
            [
                new("Handoff:Server:Storage:Provider", "Sqlite"),
                new("Handoff:Server:Storage:SqlitePath", Path.Combine(folder, "handoff.db")),
            ],
            options.HostHeapLimitMib > 0 ? [new("DOTNET_GCHeapHardLimit", $"0x{(long)options.HostHeapLimitMib * 1024 * 1024:X}")] : []);
            await host.WaitServingAsync(TimeSpan.FromMinutes(2));
            using var channel = Bench.Channel(host.GrpcAddress);
            var idleRss = host.Rss ?? 0;
            var now = DateTimeOffset.UtcNow;
            var batches = Enumerable.Range(0, options.Contacts).Chunk(BatchSize).Select((chunk, b) =>
            {
                var batch = new IngestEventsRequest { TenantId = Workload.Tenant, BatchId = $"scale-{b}" };
                batch.Events.AddRange(chunk.Select(i => new EngagementEvent
                {
                    EventId = $"scale-{i}",
                    ContactId = ContactId(i),
                    Type = EventType.EmailOpened,
                    Channel = Channel.Email,
                    OccurTime = Timestamp.FromDateTimeOffset(now - TimeSpan.FromMinutes(i % 1440)),
                }));
                return batch;
            }).ToList();
            Console.WriteLine($"Scale: {options.Contacts:N0} contacts, one event each, {batches.Count:N0} batches of {BatchSize:N0}, SQLite, " +
                (options.HostHeapLimitMib > 0 ? $"host heap limit {options.HostHeapLimitMib:N0} MiB" : "no host heap limit"));

            Pass pass;
            try
            {
                pass = await IngestDriver.RunAsync(channel, batches, options.Concurrency, options.InFlight, null, null, cancellationToken);
            }
            catch (InvalidOperationException e)
            {
                throw new InvalidOperationException($"{e.Message}\nThe host's last lines:\n{host.Output}", e);
            }

            var rssAfterIngest = host.Rss ?? 0;
            Console.WriteLine($"  ingested {pass.Events:N0} events in {pass.Seconds:0.0} s ({pass.EventsPerSecond:N0}/s), RSS {rssAfterIngest / 1048576.0:N0} MiB");

            var contacts = new ContactService.ContactServiceClient(channel);
            var step = Math.Max(1, options.Contacts / options.ScaleSample);
            var latencies = new List<double>();
            for (var i = 0; i < options.Contacts; i += step)
            {
                var started = Stopwatch.GetTimestamp();
                var reply = await contacts.GetContactAsync(new GetContactRequest { TenantId = Workload.Tenant, ContactId = ContactId(i) },
                    deadline: DateTime.UtcNow.AddMinutes(1), cancellationToken: cancellationToken);
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (reply.Contact.Engagement.TotalEventCount != 1)
                {
                    throw new InvalidOperationException($"{ContactId(i)} holds {reply.Contact.Engagement.TotalEventCount} events, not 1.");
                }
            }

            host.EnsureRunning();
            var rss = host.Rss ?? 0;
            return new ScaleResult(options.Contacts, pass.EventsPerSecond, pass.Ack, Stats.Of(latencies),
                idleRss / 1048576.0, rssAfterIngest / 1048576.0, rss / 1048576.0, (host.PeakRss ?? 0) / 1048576.0,
                (double)(rss - idleRss) / options.Contacts);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string ContactId(int i) => $"contact-{i:D7}";
}

public sealed record ScaleResult(int Contacts, double EventsPerSecond, Stats Ack, Stats GetContact, double IdleRssMib,
    double RssAfterIngestMib, double RssAfterReadsMib, double PeakRssMib, double BytesPerContact)
{
    public void Print(TextWriter output)
    {
        output.WriteLine($"| contacts | events/s | ack p50 ms | ack p99 ms | get p50 ms | get p99 ms | idle RSS MiB | RSS after ingest MiB | RSS after reads MiB | peak RSS MiB | bytes/contact |");
        output.WriteLine($"|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        output.WriteLine($"| {Contacts:N0} | {EventsPerSecond:N0} | {Ack.P50:0.0} | {Ack.P99:0.0} | {GetContact.P50:0.0} | {GetContact.P99:0.0} | " +
            $"{IdleRssMib:N0} | {RssAfterIngestMib:N0} | {RssAfterReadsMib:N0} | {PeakRssMib:N0} | {BytesPerContact:N0} |");
    }

    public async Task WriteJsonAsync(string path, Options options)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(new { Parameters = options, Scale = this }, new JsonSerializerOptions { WriteIndented = true }));
    }
}
