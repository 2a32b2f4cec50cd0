using System.Threading.Channels;
using Handoff.Grains.Journal;
using Orleans.Serialization;

namespace Handoff.Storage.Journal;

/// <summary>A batch waiting for a journal's writer: its entries, their payloads, and the answer its caller awaits.</summary>
internal sealed record PendingAppend(string TenantId, IReadOnlyList<JournalEntry> Entries, byte[][] Payloads, DateTimeOffset AppendedAt)
{
    public TaskCompletionSource<IReadOnlyList<JournalHolder?>> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>
/// The appends waiting for a journal's writers (group commit). A batch is serialized as it is queued, on its caller's
/// thread, so that the writers, the journal's one lane to its store, only write; a writer takes every append waiting,
/// up to a bound on their events, and writes them in one go.
/// </summary>
internal sealed class JournalAppendQueue(Serializer serializer, int maxEventsPerGroup, bool oneWriter)
{
    private readonly Channel<PendingAppend> appends =
        Channel.CreateUnbounded<PendingAppend>(new UnboundedChannelOptions { SingleReader = oneWriter });

    public Task<IReadOnlyList<JournalHolder?>> AppendAsync(string tenantId, IReadOnlyList<JournalEntry> entries, DateTimeOffset appendedAt)
    {
        if (entries.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<JournalHolder?>>([]);
        }

        var payloads = new byte[entries.Count][];
        for (var i = 0; i < entries.Count; i++)
        {
            payloads[i] = serializer.SerializeToArray(entries[i].Event);
        }

        var pending = new PendingAppend(tenantId, entries, payloads, appendedAt);
        if (!appends.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(IEventJournal), "The event journal is closed.");
        }

        return pending.Done.Task;
    }

    /// <summary>False once the queue is closed and empty: the writer stops.</summary>
    public ValueTask<bool> WaitAsync() => appends.Reader.WaitToReadAsync();

    /// <summary>Fills <paramref name="group"/> (cleared first) with the appends waiting, up to the bound; returns their events.</summary>
    public int TakeGroup(List<PendingAppend> group)
    {
        group.Clear();
        var events = 0;
        while (events < maxEventsPerGroup && appends.Reader.TryRead(out var next))
        {
            group.Add(next);
            events += next.Entries.Count;
        }

        return events;
    }

    /// <summary>Gives each append of the group its answer, in order.</summary>
    public static void Answer(List<PendingAppend> group, IReadOnlyList<IReadOnlyList<JournalHolder?>> answers)
    {
        for (var i = 0; i < group.Count; i++)
        {
            group[i].Done.TrySetResult(answers[i]);
        }
    }

    /// <summary>Fails every append of the group with what failed its write: none of it is acknowledged.</summary>
    public static void Fail(List<PendingAppend> group, Exception e)
    {
        foreach (var append in group)
        {
            append.Done.TrySetException(e);
        }
    }

    /// <summary>No more appends; the writers finish what is queued and stop.</summary>
    public void Close() => appends.Writer.TryComplete();
}
