using System.Globalization;
using Grpc.Core;
using Grpc.Net.Client;
using Handoff.Protos.V1;
using Handoff.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Handoff.Server.Tests.Support;

/// <summary>
/// The real Handoff host, started in this process exactly as Program.cs starts it, on free loopback ports and
/// a temporary SQLite file; callers talk to it over real sockets with the generated gRPC clients.
/// </summary>
public sealed class ServerHost : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly TestCredentials? credentials;
    private readonly CallInvoker? invoker;
    private readonly string[] settings;

    private ServerHost(WebApplication app, string databasePath, TestCredentials? credentials, string[] settings)
    {
        this.app = app;
        this.credentials = credentials;
        this.settings = settings;
        DatabasePath = databasePath;
        // The URLs the host was configured with after every setting, not the ones given first: a test's own (https, or
        // another port) wins, as it does in the host.
        var options = app.Services.GetRequiredService<IOptions<HandoffServerOptions>>().Value;
        GrpcAddress = new Uri(options.GrpcUrl);
        GrpcWebAddress = new Uri(options.GrpcWebUrl);
        ManagementAddress = new Uri(options.ManagementUrl);
        Channel = GrpcChannel.ForAddress(GrpcAddress);
        invoker = credentials?.ForRequestTenant(Channel.CreateCallInvoker());
    }

    public string DatabasePath { get; }

    /// <summary>Plain gRPC: http://, or https:// when a setting made it so (then <see cref="Channel"/> trusts only what the machine trusts).</summary>
    public Uri GrpcAddress { get; }

    public Uri GrpcWebAddress { get; }

    /// <summary>The operations listener: /metrics.</summary>
    public Uri ManagementAddress { get; }

    /// <summary>The signing key the host trusts, and tokens made with it; none on a host started <see cref="StartWithoutSharedKeyAsync"/>.</summary>
    public TestCredentials Credentials => credentials ?? throw NoSharedKey();

    /// <summary>The channel as it is: calls on it carry no token unless they add one.</summary>
    public GrpcChannel Channel { get; }

    /// <summary>Calls on <see cref="Channel"/> that carry a token with every role for the tenant their request names.</summary>
    public CallInvoker Invoker => invoker ?? throw NoSharedKey();

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
    public static Task<ServerHost> StartAsync(string? databasePath, TestCredentials credentials, Action<WebApplicationBuilder>? configure, params string[] settings)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        return StartWithAsync(databasePath, credentials, configure, settings);
    }

    /// <summary>
    /// Starts a host given no shared key (Handoff:Auth:SigningKey): <paramref name="settings"/> name its key source
    /// (Handoff:Auth:PublicKeyPemPath, Handoff:Auth:Authority), or none in Development, where the host makes a key of its
    /// own. Its callers bring their own tokens: it has no <see cref="Credentials"/> and no <see cref="Invoker"/>.
    /// </summary>
    public static Task<ServerHost> StartWithoutSharedKeyAsync(string? databasePath, params string[] settings) =>
        StartWithAsync(databasePath, null, null, settings);

    /// <summary>
    /// A port <see cref="FreePorts"/> found free can be taken before the host binds it (by any process's outgoing
    /// connection, which draws from the same ephemeral range): the host is then started again on other free ports.
    /// </summary>
    private const int StartAttempts = 3;

    private static async Task<ServerHost> StartWithAsync(string? databasePath, TestCredentials? credentials, Action<WebApplicationBuilder>? configure, string[] settings)
    {
        databasePath ??= NewDatabasePath();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnFreePortsAsync(databasePath, credentials, configure, settings);
            }
            catch (IOException e) when (e.InnerException is AddressInUseException && attempt < StartAttempts)
            {
            }
        }
    }

    private static async Task<ServerHost> StartOnFreePortsAsync(string databasePath, TestCredentials? credentials, Action<WebApplicationBuilder>? configure, string[] settings)
    {
        var (ports, ownSettings) = WithFreePorts(settings);
        // Settings come last: a later duplicate wins in command-line configuration, so a test's own URL replaces these.
        string[] args =
        [
            $"--Handoff:Server:GrpcUrl=http://127.0.0.1:{ports[0]}",
            $"--Handoff:Server:GrpcWebUrl=http://127.0.0.1:{ports[1]}",
            $"--Handoff:Server:ManagementUrl=http://127.0.0.1:{ports[2]}",
            .. credentials is null ? Array.Empty<string>() : [$"--{credentials.Setting}"],
            $"--Handoff:Server:Storage:SqlitePath={databasePath}",
            $"--Handoff:Server:Silo:SiloPort={ports[3]}",
            $"--Handoff:Server:Silo:GatewayPort={ports[4]}",
            "--Logging:LogLevel:Default=Warning",
            // Heartbeats are tested on their own; elsewhere they would only interleave with the notifications.
            "--Handoff:Api:WatchHeartbeatInterval=00:10:00",
            .. ownSettings.Select(s => "--" + s),
        ];
        var app = HandoffServer.Build(args, configure);
        try
        {
            await app.StartAsync();
        }
        catch
        {
            // What did start (the silo, the store's lock) stops, so that another try can take the same database.
            await app.StopAsync();
            await app.DisposeAsync();
            throw;
        }

        return new ServerHost(app, databasePath, credentials, settings);
    }

    /// <summary>
    /// The arguments of a host that is built but maybe never started: free loopback ports, a throwaway database, and the
    /// key of <paramref name="credentials"/> (a new one when null), so a host that did start would harm nothing.
    /// </summary>
    public static string[] ThrowawayArgs(TestCredentials? credentials, params string[] more) =>
        ThrowawayArgsWithoutKey([$"--{(credentials ?? new TestCredentials()).Setting}", .. more]);

    /// <summary>
    /// <see cref="ThrowawayArgs"/> without a key setting: for the start-up's refusals of missing or conflicting keys, and
    /// for hosts whose <paramref name="more"/> name another key source.
    /// </summary>
    public static string[] ThrowawayArgsWithoutKey(params string[] more)
    {
        var (ports, ownMore) = WithFreePorts(more);
        return
        [
            $"--Handoff:Server:GrpcUrl=http://127.0.0.1:{ports[0]}",
            $"--Handoff:Server:GrpcWebUrl=http://127.0.0.1:{ports[1]}",
            $"--Handoff:Server:ManagementUrl=http://127.0.0.1:{ports[2]}",
            $"--Handoff:Server:Storage:SqlitePath={NewDatabasePath()}",
            $"--Handoff:Server:Silo:SiloPort={ports[3]}",
            $"--Handoff:Server:Silo:GatewayPort={ports[4]}",
            "--Logging:LogLevel:Default=Warning",
            .. ownMore,
        ];
    }

    /// <summary>
    /// Stands for the port of a listener URL a test sets itself (https, say), at most one in a setting: it is replaced
    /// by a port found free together with the host's own, so that no two listeners of the host are given the same one.
    /// </summary>
    public const string FreePort = "{free-port}";

    /// <summary>The host's five ports, then the settings with a port of their own for each <see cref="FreePort"/>, all found free at once.</summary>
    private static (int[] HostPorts, string[] Settings) WithFreePorts(string[] settings)
    {
        const int HostPorts = 5;
        var ports = FreePorts.Take(HostPorts + settings.Count(s => s.Contains(FreePort, StringComparison.Ordinal)));
        var next = HostPorts;
        var filled = settings.Select(s => s.Contains(FreePort, StringComparison.Ordinal)
            ? s.Replace(FreePort, ports[next++].ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            : s).ToArray();
        return (ports[..HostPorts], filled);
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

    /// <summary>Stops this host and starts a new one on the same database file, with the same key and settings.</summary>
    public async Task<ServerHost> RestartAsync()
    {
        await DisposeAsync();
        return await StartWithAsync(DatabasePath, credentials, null, settings);
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private static InvalidOperationException NoSharedKey() =>
        new("This host was started without a shared key: its callers bring tokens of their own.");
}
