namespace Handoff.Storage;

/// <summary>
/// The store cannot be used as configured, found before the silo starts (a database that cannot be reached or has no
/// schema, a connection string that is none). The message names the setting to fix and the reason, and never contains
/// a password; the host reports it as its own start-up failure.
/// </summary>
public sealed class StorageStartupException : Exception
{
    public StorageStartupException(string message)
        : base(message)
    {
    }

    public StorageStartupException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
