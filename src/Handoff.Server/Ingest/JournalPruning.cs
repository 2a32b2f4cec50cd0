using Handoff.Grains;
using Handoff.Grains.Journal;
using Handoff.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Handoff.Server.Ingest;

/// <summary>
/// Keeps the event journal to the dedupe window: every <see cref="IngestOptions.JournalPruneInterval"/> it forgets the
/// events appended before the window (less the clock skew ingest allows), which ingest would refuse as too old anyway.
/// On a cluster every silo prunes; the deletes are idempotent.
/// </summary>
public sealed partial class JournalPruning(IEventJournal journal, IOptions<IngestOptions> ingest, IOptions<ContactOptions> contacts,
    TimeProvider time, ILogger<JournalPruning> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(ingest.Value.JournalPruneInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var before = time.GetUtcNow() - contacts.Value.DedupeWindow - ingest.Value.MaxClockSkew;
            try
            {
                var deleted = await journal.PruneAsync(before, stoppingToken);
                LogPruned(deleted, before);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogPruneFailed(e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Event journal pruned: {Deleted} events appended before {Before:O} forgotten.")]
    private partial void LogPruned(long deleted, DateTimeOffset before);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pruning the event journal failed; trying again at the next interval.")]
    private partial void LogPruneFailed(Exception exception);
}
