namespace Handoff.Server.Hosting;

/// <summary>
/// The host cannot start with its configuration, found before the silo starts (a store that cannot be reached or has
/// no schema, an address that is none). The message names the setting to fix and the reason, and never contains a
/// password.
/// </summary>
public sealed class HandoffStartupException : Exception
{
    public HandoffStartupException(string message)
        : base(message)
    {
    }

    public HandoffStartupException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
