using System.Threading.Channels;

namespace Handoff.Storage.Journal;

/// <summary>
/// Requests waiting for a store's loops, handled a group at a time: a loop takes every request waiting, up to a bound on
/// their weight, handles them in one go (one commit for many appends, one statement for many reads) and gives each its
/// answer. When the group fails, every request in it fails with that error: none of it is acknowledged.
/// </summary>
internal class GroupedRequests<TRequest, TAnswer>(int maxWeightPerGroup, Func<TRequest, int> weightOf, bool oneLoop)
{
    private readonly Channel<Pending> waiting =
        Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = oneLoop });

    /// <summary>The answer of the group the request goes in.</summary>
    /// <exception cref="ObjectDisposedException">The loops were told to stop (<see cref="Close"/>).</exception>
    public Task<TAnswer> Enqueue(TRequest request)
    {
        var pending = new Pending(request, new TaskCompletionSource<TAnswer>(TaskCreationOptions.RunContinuationsAsynchronously));
        return waiting.Writer.TryWrite(pending)
            ? pending.Done.Task
            : throw new ObjectDisposedException(nameof(Handoff.Grains.Journal.IEventJournal), "The event journal is closed.");
    }

    /// <summary>
    /// One loop, until <see cref="Close"/> and every request queued before it is handled. <paramref name="handle"/> gets
    /// a group's requests in the order they came and gives one answer each, in that order.
    /// </summary>
    public async Task RunLoopAsync(Func<IReadOnlyList<TRequest>, Task<IReadOnlyList<TAnswer>>> handle)
    {
        var group = new Group();
        while (await waiting.Reader.WaitToReadAsync())
        {
            if (TakeGroup(group))
            {
                await group.HandleAsync(handle);
            }
        }
    }

    /// <summary>
    /// <see cref="RunLoopAsync"/> for a loop that owns its thread and blocks it while it waits (SQLite's writer: its
    /// statements and fsyncs block, and must not hold a thread of the pool).
    /// </summary>
    public void RunLoop(Func<IReadOnlyList<TRequest>, IReadOnlyList<TAnswer>> handle)
    {
        var group = new Group();
        while (waiting.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            if (TakeGroup(group))
            {
                group.HandleAsync(requests => Task.FromResult(handle(requests))).GetAwaiter().GetResult();
            }
        }
    }

    /// <summary>No more requests; the loops handle what is queued and stop.</summary>
    public void Close() => waiting.Writer.TryComplete();

    /// <summary>Fills the group with the requests waiting, up to the bound. False when there were none: another loop took what this one was woken for.</summary>
    private bool TakeGroup(Group group)
    {
        group.Clear();
        var weight = 0;
        while (weight < maxWeightPerGroup && waiting.Reader.TryRead(out var next))
        {
            group.Add(next);
            weight += weightOf(next.Request);
        }

        return group.Requests.Count > 0;
    }

    private readonly record struct Pending(TRequest Request, TaskCompletionSource<TAnswer> Done);

    /// <summary>A loop's group, its lists reused from one group to the next.</summary>
    private sealed class Group
    {
        private readonly List<TaskCompletionSource<TAnswer>> answers = [];

        public List<TRequest> Requests { get; } = [];

        public void Add(Pending pending)
        {
            Requests.Add(pending.Request);
            answers.Add(pending.Done);
        }

        public void Clear()
        {
            Requests.Clear();
            answers.Clear();
        }

        public async Task HandleAsync(Func<IReadOnlyList<TRequest>, Task<IReadOnlyList<TAnswer>>> handle)
        {
            try
            {
                var given = await handle(Requests);
                for (var i = 0; i < answers.Count; i++)
                {
                    answers[i].TrySetResult(given[i]);
                }
            }
            catch (Exception e)
            {
                foreach (var answer in answers)
                {
                    answer.TrySetException(e);
                }
            }
        }
    }
}
