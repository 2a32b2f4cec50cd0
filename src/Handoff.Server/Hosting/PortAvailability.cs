using System.Net;
using System.Net.Sockets;

namespace Handoff.Server.Hosting;

/// <summary>
/// Every port the host will listen on is tried before the silo starts, so that one taken by another program stops the
/// start-up in one line naming the setting, instead of a silo that starts, runs crash recovery and then fails with
/// pages of stack traces when the web server cannot bind. The ports are released at once; the real listeners bind them
/// a moment later (a program that takes one in between still gets Kestrel's or Orleans' own error).
/// </summary>
public static class PortAvailability
{
    public static void EnsureFree(HandoffServerOptions options, Func<string, Uri> url)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(url);
        var silo = options.Silo;
        // A single silo on SQLite or in memory listens on loopback; a PostgreSQL silo on its advertised address, or on
        // every address when told to.
        var siloAddress = options.Storage.Provider != StorageProvider.PostgreSql ? IPAddress.Loopback
            : silo.ListenOnAnyHostAddress || !IPAddress.TryParse(silo.AdvertisedIPAddress, out var advertised) ? IPAddress.Any : advertised;
        var endpoints = new (string Setting, IPAddress Address, int Port)[]
        {
            ("GrpcUrl", Address(url(options.GrpcUrl)), url(options.GrpcUrl).Port),
            ("GrpcWebUrl", Address(url(options.GrpcWebUrl)), url(options.GrpcWebUrl).Port),
            ("ManagementUrl", Address(url(options.ManagementUrl)), url(options.ManagementUrl).Port),
            ("Silo:SiloPort", siloAddress, silo.SiloPort),
            ("Silo:GatewayPort", siloAddress, silo.GatewayPort),
        };
        foreach (var (setting, address, port) in endpoints.Where(e => e.Port > 0))
        {
            if (!IsFree(address, port))
            {
                throw new HandoffStartupException(
                    $"{address}:{port} ({HandoffServerOptions.Section}:{setting}) is already in use by another program; stop it or choose another port.");
            }
        }
    }

    private static IPAddress Address(Uri uri) => uri.Host switch
    {
        "localhost" => IPAddress.Loopback,
        "0.0.0.0" => IPAddress.Any,
        _ => IPAddress.TryParse(uri.Host, out var address) ? address : IPAddress.Any,
    };

    private static bool IsFree(IPAddress address, int port)
    {
        using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        // As Kestrel and Orleans bind: a port left in TIME_WAIT by a server just stopped is free to them, and so here.
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        try
        {
            socket.Bind(new IPEndPoint(address, port));
            return true;
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AccessDenied)
        {
            return false;
        }
    }
}
