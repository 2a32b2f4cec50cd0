using System.CommandLine;
using Google.Protobuf.Collections;
using Grpc.Core;
using Handoff.Protos.V1;

namespace Handoff.Cli.Commands;

/// <summary>ingest: engagement events from a JSON-lines file, in batches.</summary>
internal static class IngestCommands
{
    private const int DefaultBatchSize = 500;

    private static readonly Argument<string> File = Parameter.Word("file.jsonl", "one EngagementEvent a line, in protobuf JSON");
    private static readonly Option<int?> BatchSize = Parameter.PositiveInt("--batch-size", $"events per batch (default {DefaultBatchSize})");
    private static readonly Option<bool> Stream = Parameter.Flag("--stream", "send over the IngestEvents stream (one ack per batch) instead of IngestBatch");
    private static readonly Option<bool> ShiftToNow = Parameter.Flag("--shift-to-now", "move every event time by one offset so the newest event happens now");
    private static readonly Option<bool> DryRun = Parameter.Flag("--dry-run", "parse (and shift), print what would be sent, send nothing");

    public static readonly Command[] All =
    [
        new("ingest", "Send engagement events from a JSON-lines file in batches",
            """
            Each line is one EngagementEvent in protobuf JSON (blank lines and '#' lines are skipped).
            A malformed line stops the command before anything is sent.
            Exits 1 when the server rejected any event.
            """,
            [File, BatchSize, Stream, ShiftToNow, DryRun], Ingest),
    ];

    private sealed record BatchResult(string BatchId, int Accepted, int Duplicates, RepeatedField<RejectedEvent> Rejected);

    private static async Task<int> Ingest(CliContext ctx, ParseResult parsed)
    {
        var batchSize = parsed.GetValue(BatchSize) ?? DefaultBatchSize;
        var stream = parsed.GetValue(Stream);
        var shift = parsed.GetValue(ShiftToNow);
        var dryRun = parsed.GetValue(DryRun);
        var path = parsed.GetRequiredValue(File);
        if (!System.IO.File.Exists(path)) throw new CliException($"no such file: {path}");

        var (events, errors) = EventFile.Read(path);
        if (errors.Count > 0)
        {
            errors.ForEach(Console.Error.WriteLine);
            throw new CliException($"{errors.Count} malformed line(s); nothing sent");
        }
        Console.WriteLine($"read {events.Count} events from {path}");
        if (shift)
        {
            var offset = EventFile.ShiftToNow(events, DateTimeOffset.UtcNow);
            Console.WriteLine($"shifted every event time by {offset.Days}d {offset:hh\\:mm\\:ss} so the newest happens now");
        }

        var batches = events.Chunk(batchSize).ToList();
        var run = Guid.NewGuid().ToString("N")[..8];
        var requests = batches.Select((b, i) => (Id: $"{run}-{i + 1}", Events: b)).ToList();
        if (dryRun)
        {
            foreach (var e in events)
            {
                var meeting = e.AppointmentTime is null ? "" : $", meeting {Render.When(e.AppointmentTime)}";
                Console.WriteLine($"  {e.EventId,-8} {e.ContactId,-10} {Render.When(e.OccurTime)}  {ProtoEnum.Words(e.Type)}{meeting}");
            }
            Console.WriteLine($"dry run: {batches.Count} batch(es) of up to {batchSize} for tenant {ctx.Tenant}; nothing sent");
            return 0;
        }

        var results = new List<BatchResult>();
        void Report(BatchResult r)
        {
            results.Add(r);
            Console.WriteLine($"batch {results.Count}/{requests.Count} ({r.BatchId}): {r.Accepted} accepted, {r.Duplicates} duplicates, {r.Rejected.Count} rejected");
            foreach (var x in r.Rejected) Console.WriteLine($"  rejected #{x.Index} {x.EventId}: {x.Field}: {x.Reason}");
        }

        if (stream)
        {
            using var call = ctx.Ingest.IngestEvents(cancellationToken: ctx.Cancel);
            var acks = Task.Run(async () =>
            {
                await foreach (var ack in call.ResponseStream.ReadAllAsync(ctx.Cancel))
                {
                    var expected = results.Count < requests.Count ? requests[results.Count].Id : "(none)";
                    if (ack.BatchId != expected) throw new CliException($"ack for batch {ack.BatchId} where {expected} was expected");
                    Report(new(ack.BatchId, ack.AcceptedCount, ack.DuplicateCount, ack.Rejected));
                }
            });
            try
            {
                foreach (var (id, batch) in requests)
                    await call.RequestStream.WriteAsync(new IngestEventsRequest { TenantId = ctx.Tenant, BatchId = id, Events = { batch } }, ctx.Cancel);
                await call.RequestStream.CompleteAsync();
            }
            catch when (!acks.IsCompletedSuccessfully)
            {
                await acks; // the stream's own status says more than a failed write
                throw;
            }
            await acks;
            if (results.Count != requests.Count)
                throw new CliException($"the server acknowledged {results.Count} of {requests.Count} batches");
        }
        else
        {
            foreach (var (id, batch) in requests)
            {
                var r = await ctx.Ingest.IngestBatchAsync(new() { TenantId = ctx.Tenant, BatchId = id, Events = { batch } }, cancellationToken: ctx.Cancel);
                Report(new(r.BatchId, r.AcceptedCount, r.DuplicateCount, r.Rejected));
            }
        }

        var rejected = results.Sum(r => r.Rejected.Count);
        Console.WriteLine($"total: {results.Sum(r => r.Accepted)} accepted, {results.Sum(r => r.Duplicates)} duplicates, {rejected} rejected");
        return rejected == 0 ? 0 : 1;
    }
}
