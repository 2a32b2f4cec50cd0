namespace Handoff.Storage;

/// <summary>
/// The one writer of a SQLite file in this process: writes (grain state, reminders) take turns here, waiting without
/// holding a thread. SQLite lets one connection write at a time; a second writer gets SQLITE_BUSY, and
/// Microsoft.Data.Sqlite answers that by putting its thread to sleep for 150 ms before it tries again. Under load, with
/// card transitions, inbox pages, index parts and escalation reminders written side by side, those sleeps, not the
/// disk, set the pace (measured in docs/ingest-durability.md). Reads need no turn: in WAL mode they never wait for the
/// writer.
/// </summary>
public sealed class SqliteWriter
{
    private readonly SemaphoreSlim turn = new(1, 1);

    public async Task<T> WriteAsync<T>(Func<Task<T>> write)
    {
        await turn.WaitAsync();
        try
        {
            return await write();
        }
        finally
        {
            turn.Release();
        }
    }

    public Task WriteAsync(Func<Task> write) => WriteAsync(async () =>
    {
        await write();
        return true;
    });
}
