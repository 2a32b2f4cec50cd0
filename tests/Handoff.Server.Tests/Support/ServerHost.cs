using System.Net;
using System.Net.Sockets;
using Grpc.Core;
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

    private ServerHost(WebApplication app, string databasePath, TestCredentials credentials, int grpcPort, int grpcWebPort, int managementPort)
    {
        this.app = app;
        DatabasePath = databasePath;
        Credentials = credentials;
        GrpcAddress = new Uri($"http://127.0.0.1:{grpcPort}");
        GrpcWebAddress = new Uri($"http://127.0.0.1:{grpcWebPort}");
        ManagementAddress = new Uri($"http://127.0.0.1:{managementPort}");
        Channel = GrpcChannel.ForAddress(GrpcAddress);
        Invoker = credentials.ForRequestTenant(Channel.CreateCallInvoker());
    }

    public string DatabasePath { get; }

    public Uri GrpcAddress { get; }

    public Uri GrpcWebAddress { get; }

    /// <summary>The operations listener: /metrics.</summary>
    public Uri ManagementAddress { get; }

    /// <summary>The signing key the host trusts, and tokens made with it.</summary>
    public TestCredentials Credentials { get; }

    /// <summary>The channel as it is: calls on it carry no token unless they add one.</summary>
    public GrpcChannel Channel { get; }

    /// <summary>Calls on <see cref="Channel"/> that carry a token with every role for the tenant their request names.</summary>
    public CallInvoker Invoker { get; }

    /// <summary>The silo's grains, for checks the public API does not offer (subscriber counts, leaks).</summary>
    public IGrainFactory Grains => app.Services.GetRequiredService<IGrainFactory>();

    /// <summary>The host's services (its grain storage, event journal), to set up what only a crash leaves behind.</summary>
    public IServiceProvider Services => app.Services;

    public ContactService.ContactServiceClient Contacts => new(Invoker);

    public HandoffService.HandoffServiceClient Handoffs => new(Invoker);

    public IngestService.IngestServiceClient Ingest => new(Invoker);

    public NotificationService.NotificationServiceClient Notifications => new(Invoker);

    public OutreachService.OutreachServiceClient Outreach => new(Invoker);

    /// <summary>The five clients, calling as <paramref name="user"/> of <paramref name="tenant"/> with <paramref name="roles"/>.</summary>
    public HostClients As(string tenant, string user, params string[] roles) => new(Credentials.As(Channel.CreateCallInvoker(), tenant, user, roles));

    public static string NewDatabasePath() => Path.Combine(Path.GetTempPath(), "handoff-server-tests", $"{Guid.NewGuid():N}.db");

    /// <summary>Starts a host on <paramref name="databasePath"/> (a new file when null). Extra settings are "key=value" pairs.</summary>
    public static Task<ServerHost> StartAsync(string? databasePath = null, params string[] settings) =>
        StartAsync(databasePath, new TestCredentials(), settings);

    /// <summary>Starts a host that trusts the key of <paramref name="credentials"/> (a restart keeps the tokens valid).</summary>
    public static Task<ServerHost> StartAsync(string? databasePath, TestCredentials credentials, params string[] settings) =>
        StartAsync(databasePath, credentials, configure: null, settings);

    /// <summary>Starts a host whose builder <paramref name="configure"/> adds to (a logger provider that captures the log).</summary>
    public static async Task<ServerHost> StartAsync(string? databasePath, TestCredentials credentials, Action<WebApplicationBuilder>? configure, params string[] settings)
    {
        databasePath ??= NewDatabasePath();
        int grpcPort = FreePort(), grpcWebPort = FreePort(), managementPort = FreePort(), siloPort = FreePort(), gatewayPort = FreePort();
        string[] args =
        [
            $"--Handoff:Server:GrpcUrl=http://127.0.0.1:{grpcPort}",
            $"--Handoff:Server:GrpcWebUrl=http://127.0.0.1:{grpcWebPort}",
            $"--Handoff:Server:ManagementUrl=http://127.0.0.1:{managementPort}",
            $"--{credentials.Setting}",
            $"--Handoff:Server:Storage:SqlitePath={databasePath}",
            $"--Handoff:Server:Silo:SiloPort={siloPort}",
            $"--Handoff:Server:Silo:GatewayPort={gatewayPort}",
            "--Logging:LogLevel:Default=Warning",
            // Heartbeats are tested on their own; elsewhere they would only interleave with the notifications.
            "--Handoff:Api:WatchHeartbeatInterval=00:10:00",
            .. settings.Select(s => "--" + s),
        ];
        var app = HandoffServer.Build(args, configure);
        await app.StartAsync();
        return new ServerHost(app, databasePath, credentials, grpcPort, grpcWebPort, managementPort);
    }

    /// <summary>
    /// The arguments of a host that is built but maybe never started: free loopback ports, a throwaway database, and the
    /// key of <paramref name="credentials"/> (a new one when null), so a host that did start would harm nothing.
    /// </summary>
    public static string[] ThrowawayArgs(TestCredentials? credentials, params string[] more) =>
    [
        $"--Handoff:Server:GrpcUrl=http://127.0.0.1:{FreePort()}",
        $"--Handoff:Server:GrpcWebUrl=http://127.0.0.1:{FreePort()}",
        $"--Handoff:Server:ManagementUrl=http://127.0.0.1:{FreePort()}",
        $"--Handoff:Server:Storage:SqlitePath={NewDatabasePath()}",
        $"--Handoff:Server:Silo:SiloPort={FreePort()}",
        $"--Handoff:Server:Silo:GatewayPort={FreePort()}",
        $"--{(credentials ?? new TestCredentials()).Setting}",
        "--Logging:LogLevel:Default=Warning",
        .. more,
    ];

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
        return await StartAsync(DatabasePath, Credentials);
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
