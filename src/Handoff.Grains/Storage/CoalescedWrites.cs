namespace Handoff.Grains.Storage;

/// <summary>
/// One state write at a time for a grain whose work interleaves, and group commit: every change made while a write
/// runs goes out together in the next one. A caller returns once a write that includes its change has succeeded, so an
/// acknowledgement still means durable; the number of writes follows the store's speed, not the callers' number. Used
/// by the busy reentrant grains (a tenant's unassigned inbox and its handoff index receive a delivery for every card
/// raised in the tenant) and by the contact, whose effect delivery runs beside its requests. The grain must change its
/// state only synchronously, before awaiting <see cref="WriteAsync"/>.
/// </summary>
internal sealed class CoalescedWrites(Func<Task> write)
{
    private TaskCompletionSource? waiting;
    private bool writing;

    /// <summary>Completes once a write that began after this call has succeeded.</summary>
    public Task WriteAsync()
    {
        var next = waiting ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!writing)
        {
            _ = RunAsync();
        }

        return next.Task;
    }

    /// <summary>
    /// For a call that changed nothing: completes once the changes made before it are durable (at once when no write
    /// is under way or waiting), so that it never acknowledges what a failing write still holds.
    /// </summary>
    public Task DurableAsync() => writing || waiting is not null ? WriteAsync() : Task.CompletedTask;

    private async Task RunAsync()
    {
        writing = true;
        while (waiting is { } batch)
        {
            waiting = null;
            try
            {
                await write();
                batch.SetResult();
            }
            catch (Exception e)
            {
                batch.SetException(e);
            }
        }

        writing = false;
    }
}
