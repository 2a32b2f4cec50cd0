using System.Net;
using System.Net.Sockets;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Handoff.Protos.V1;
using Handoff.Server.Hosting;

namespace Handoff.Server.Tests.Support;

/// <summary>
/// The real Handoff host, started in this process exactly as Program.cs starts it, on free loopback ports and
/// a temporary SQLite file; callers talk to it over real sockets with the generated gRPC clients.
/// </summary>
public sealed class ServerHost : IAsyncDisposable
{
    private readonly WebApplication app;

    private ServerHost(WebApplication app, string databasePath, int grpcPort, int grpcWebPort)
    {
        this.app = app;
        DatabasePath = databasePath;
        GrpcAddress = new Uri($"http://127.0.0.1:{grpcPort}");
        GrpcWebAddress = new Uri($"http://127.0.0.1:{grpcWebPort}");
        Channel = GrpcChannel.ForAddress(GrpcAddress);
    }

    public string DatabasePath { get; }

    public Uri GrpcAddress { get; }

    public Uri GrpcWebAddress { get; }

    public GrpcChannel Channel { get; }

    /// <summary>The silo's grains, for checks the public API does not offer (subscriber counts, leaks).</summary>
    public IGrainFactory Grains => app.Services.GetRequiredService<IGrainFactory>();

    /// <summary>The host's services (its grain storage, event journal), to set up what only a crash leaves behind.</summary>
    public IServiceProvider Services => app.Services;

    public ContactService.ContactServiceClient Contacts => new(Channel);

    public HandoffService.HandoffServiceClient Handoffs => new(Channel);

    public IngestService.IngestServiceClient Ingest => new(Channel);

    public NotificationService.NotificationServiceClient Notifications => new(Channel);

    public OutreachService.OutreachServiceClient Outreach => new(Channel);

    public static string NewDatabasePath() => Path.Combine(Path.GetTempPath(), "handoff-server-tests", $"{Guid.NewGuid():N}.db");

    /// <summary>Starts a host on <paramref name="databasePath"/> (a new file when null). Extra settings are "key=value" pairs.</summary>
    public static async Task<ServerHost> StartAsync(string? databasePath = null, params string[] settings)
    {
        databasePath ??= NewDatabasePath();
        int grpcPort = FreePort(), grpcWebPort = FreePort(), siloPort = FreePort(), gatewayPort = FreePort();
        string[] args =
        [
            $"--Handoff:Server:GrpcUrl=http://127.0.0.1:{grpcPort}",
            $"--Handoff:Server:GrpcWebUrl=http://127.0.0.1:{grpcWebPort}",
            $"--Handoff:Server:Storage:SqlitePath={databasePath}",
            $"--Handoff:Server:Silo:SiloPort={siloPort}",
            $"--Handoff:Server:Silo:GatewayPort={gatewayPort}",
            "--Logging:LogLevel:Default=Warning",
            // Heartbeats are tested on their own; elsewhere they would only interleave with the notifications.
            "--Handoff:Api:WatchHeartbeatInterval=00:10:00",
            .. settings.Select(s => "--" + s),
        ];
        var app = HandoffServer.Build(args);
        await app.StartAsync();
        return new ServerHost(app, databasePath, grpcPort, grpcWebPort);
    }

    /// <summary>The settings that put a host on the PostgreSQL database <paramref name="connectionString"/>, and <paramref name="more"/>.</summary>
    public static string[] PostgreSqlSettings(string connectionString, params string[] more) =>
    [
        "Handoff:Server:Storage:Provider=PostgreSql",
        $"Handoff:Server:Storage:PostgreSqlConnectionString={connectionString}",
        .. more,
    ];

    /// <summary>Starts a host on the PostgreSQL database <paramref name="connectionString"/>. Extra settings are "key=value" pairs.</summary>
    public static Task<ServerHost> StartOnPostgreSqlAsync(string connectionString, params string[] settings) =>
        StartAsync(null, PostgreSqlSettings(connectionString, settings));

    /// <summary>Stops this host and starts a new one on the same database file.</summary>
    public async Task<ServerHost> RestartAsync()
    {
        await DisposeAsync();
        return await StartAsync(DatabasePath);
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
