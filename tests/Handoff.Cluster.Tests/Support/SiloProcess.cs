using System.Diagnostics;
using System.Text;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace Handoff.Cluster.Tests.Support;

/// <summary>
/// One real host process (the same binary users run) serving gRPC on a loopback port: one silo of a PostgreSQL-backed
/// cluster, or a host on the embedded SQLite default. Its output is kept for the test's failure messages.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();

    private SiloProcess(string name, Process process, int grpcPort, int siloPort)
    {
        Name = name;
        this.process = process;
        GrpcPort = grpcPort;
        SiloPort = siloPort;
        Channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}");
        Invoker = Credentials.ForRequestTenant(Channel.CreateCallInvoker());
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Name { get; }

    public int GrpcPort { get; }

    public int SiloPort { get; }

    /// <summary>The key every host of the test run trusts (one cluster's silos share it), and tokens made with it.</summary>
    public static TestCredentials Credentials { get; } = new();

    /// <summary>The channel as it is: health checks need no token.</summary>
    public GrpcChannel Channel { get; }

    /// <summary>Calls on <see cref="Channel"/> with a token of every role for the tenant their request names.</summary>
    public Grpc.Core.CallInvoker Invoker { get; }

    public bool HasExited => process.HasExited;

    public int ProcessId => process.Id;

    /// <summary>The gRPC-Web and management URLs the process was given, for a second process that is to collide with it.</summary>
    public string GrpcUrl => $"http://127.0.0.1:{GrpcPort}";

    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    public static SiloProcess Start(string name, string connectionString, string clusterId, params string[] settings) =>
        StartWith(name,
        [
            "Handoff:Server:Storage:Provider=PostgreSql",
            $"Handoff:Server:Storage:PostgreSqlConnectionString={connectionString}",
            $"Handoff:Server:Silo:ClusterId={clusterId}",
            $"Handoff:Server:Silo:ServiceId={clusterId}",
            "Handoff:Server:Silo:AdvertisedIPAddress=127.0.0.1",
            .. settings,
        ]);

    /// <summary>A host on the embedded default: one silo on the SQLite file at <paramref name="sqlitePath"/>.</summary>
    public static SiloProcess StartOnSqlite(string name, string sqlitePath, params string[] settings) =>
        StartWith(name, [$"Handoff:Server:Storage:SqlitePath={sqlitePath}", .. settings]);

    /// <summary>
    /// A host on the embedded default that logs as shipped (appsettings.json's levels), where the other hosts of these
    /// tests log warnings and errors only: for what an operator sees.
    /// </summary>
    public static SiloProcess StartOnSqliteAsShipped(string name, string sqlitePath, params string[] settings) =>
        StartWith(name, [$"Handoff:Server:Storage:SqlitePath={sqlitePath}", .. settings], shippedLogLevels: true);

    private static SiloProcess StartWith(string name, IEnumerable<string> settings, bool shippedLogLevels = false)
    {
        var ports = FreePorts.Take(5);
        int grpcPort = ports[0], webPort = ports[1], siloPort = ports[2], gatewayPort = ports[3];
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        start.ArgumentList.Add(RepositoryPaths.ServerAssembly);
        foreach (var setting in new[]
        {
            $"Handoff:Server:GrpcUrl=http://127.0.0.1:{grpcPort}",
            $"Handoff:Server:GrpcWebUrl=http://127.0.0.1:{webPort}",
            $"Handoff:Server:Silo:SiloPort={siloPort}",
            $"Handoff:Server:Silo:GatewayPort={gatewayPort}",
            $"Handoff:Server:ManagementUrl=http://127.0.0.1:{ports[4]}",
            Credentials.Setting,
            // One test identity stands in for every user and service of a busy tenant: it gets the whole tenant's rate.
            "Handoff:Limits:CallsPerSecondPerUser=1000000",
            "Handoff:Limits:CallBurstPerUser=1000000",
            "Handoff:Limits:CallsPerSecondPerTenant=1000000",
            "Handoff:Limits:CallBurstPerTenant=1000000",
        }.Concat(shippedLogLevels ? [] : ["Logging:LogLevel:Default=Warning"]).Concat(settings))
        {
            start.ArgumentList.Add("--" + setting);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        return new SiloProcess(name, process, grpcPort, siloPort);
    }

    /// <summary>Waits until the gRPC health service answers SERVING.</summary>
    public Task WaitServingAsync(TimeSpan timeout)
    {
        var health = new Health.HealthClient(Channel);
        return Wait.UntilAsync(
            async () =>
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"{Name} exited with {process.ExitCode} before serving:\n{Output}");
                }

                try
                {
                    var reply = await health.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(2));
                    return reply.Status == HealthCheckResponse.Types.ServingStatus.Serving;
                }
                catch (Grpc.Core.RpcException)
                {
                    // Not listening or not ready yet.
                    return false;
                }
            },
            () => $"{Name} to serve:\n{Output}",
            timeout);
    }

    /// <summary>Waits for a process that is to stop on its own (a refused start-up): its exit code.</summary>
    public async Task<int> ExitCodeAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{Name} was still running after {timeout}:\n{Output}");
        }

        return process.ExitCode;
    }

    /// <summary>SIGKILL: the process gets no chance to clean up, as in a crash.</summary>
    public void Kill() => process.Kill(entireProcessTree: true);

    /// <summary>SIGTERM: the host shuts down gracefully; waits for the process to end.</summary>
    public async Task StopGracefullyAsync(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-s", "TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var cancel = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cancel.Token);
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }
}
