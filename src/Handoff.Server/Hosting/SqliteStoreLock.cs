using System.Globalization;

namespace Handoff.Server.Hosting;

/// <summary>
/// The embedded store serves one server: this process holds an exclusive OS lock on "{database}.lock" from before the
/// store is touched until the host is disposed (the operating system drops it when the process dies, SIGKILL
/// included). A second server on the same file is refused before it opens the store, with one line naming the file and
/// the process holding it, which each holder writes to "{database}.lock.owner" (the lock file itself cannot be read
/// while locked).
/// </summary>
public sealed class SqliteStoreLock : IDisposable
{
    private readonly FileStream lockFile;

    private SqliteStoreLock(FileStream lockFile) => this.lockFile = lockFile;

    public static SqliteStoreLock Acquire(string sqlitePath)
    {
        var database = Path.GetFullPath(sqlitePath);
        Directory.CreateDirectory(Path.GetDirectoryName(database)!);
        var lockPath = database + ".lock";
        var ownerPath = lockPath + ".owner";
        FileStream lockFile;
        try
        {
            lockFile = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            throw new HandoffStartupException(
                $"{database} is in use by another Handoff server ({Owner(ownerPath)}); the embedded SQLite store serves one server at a time. " +
                $"Stop that server, or give this one a store of its own with {HandoffServerOptions.Section}:Storage:SqlitePath.");
        }

        File.WriteAllText(ownerPath, string.Create(CultureInfo.InvariantCulture,
            $"process {Environment.ProcessId} on {Environment.MachineName}, started {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm:ss}Z"));
        return new SqliteStoreLock(lockFile);
    }

    public void Dispose() => lockFile.Dispose();

    private static string Owner(string ownerPath)
    {
        try
        {
            return File.ReadAllText(ownerPath).Trim();
        }
        catch (IOException)
        {
            return "a process that has not said which";
        }
    }
}
