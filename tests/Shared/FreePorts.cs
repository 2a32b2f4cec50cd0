using System.Net;
using System.Net.Sockets;

namespace Handoff.Tests.Shared;

/// <summary>
/// Loopback ports free at the moment of asking, for the listeners of a host a test starts. The ports of one call are
/// all different: each stays bound until all are found, since a port let go can be handed out again by the very next
/// ask, and a host given one port for two of its listeners refuses to start.
/// </summary>
public static class FreePorts
{
    public static int[] Take(int count)
    {
        var listeners = new List<TcpListener>(count);
        try
        {
            for (var i = 0; i < count; i++)
            {
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listeners.Add(listener);
                listener.Start();
            }

            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            foreach (var listener in listeners)
            {
                listener.Dispose();
            }
        }
    }

    public static int One() => Take(1)[0];
}
