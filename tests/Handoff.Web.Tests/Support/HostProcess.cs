using System.Diagnostics;
using System.Globalization;
using System.Text;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Handoff.Server.Tests.Support;

namespace Handoff.Web.Tests.Support;

/// <summary>
/// The real host process (the binary users run, in the Development environment as `dotnet run` starts it) on a SQLite
/// file in a folder of its own, serving the page on its gRPC-Web port. It can be killed and started again on the same
/// ports and file, as a crash and a restart.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("handoff-web-tests-").FullName;
    private readonly int grpcPort, webPort, managementPort, siloPort, gatewayPort;
    private readonly string[] settings;
    private readonly StringBuilder output = new();
    private readonly GrpcChannel channel;
    private Process? process;

    private HostProcess(string[] settings)
    {
        this.settings = settings;
        var ports = FreePorts.Take(5);
        (grpcPort, webPort, managementPort, siloPort, gatewayPort) = (ports[0], ports[1], ports[2], ports[3], ports[4]);
        channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}");
    }

    /// <summary>The key the host trusts, and tokens made with it, for the calls the tests make as the CRM, SI and people.</summary>
    public static TestCredentials Credentials { get; } = new();

    /// <summary>The page's address: the host's gRPC-Web listener.</summary>
    public Uri PageAddress => new($"http://127.0.0.1:{webPort}/");

    public Uri ManagementAddress => new($"http://127.0.0.1:{managementPort}/");

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

    public static async Task<HostProcess> StartAsync(params string[] settings)
    {
        var host = new HostProcess(settings);
        await host.StartAgainAsync();
        return host;
    }

    /// <summary>Clients that call as <paramref name="user"/> of <paramref name="tenant"/> with every role (the CRM, SI, a manager).</summary>
    public HostClients As(string tenant, string user = "si") => new(Credentials.As(channel.CreateCallInvoker(), tenant, user, TestCredentials.AllRoles));

    /// <summary>Starts the process (again, after <see cref="KillAsync"/>) and waits until it serves.</summary>
    public async Task StartAgainAsync()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = folder,
        };
        start.ArgumentList.Add(RepositoryPaths.ServerAssembly);
        foreach (var setting in new[]
        {
            "environment=Development",
            $"Handoff:Server:GrpcUrl=http://127.0.0.1:{grpcPort}",
            $"Handoff:Server:GrpcWebUrl=http://127.0.0.1:{webPort}",
            $"Handoff:Server:ManagementUrl=http://127.0.0.1:{managementPort}",
            $"Handoff:Server:Silo:SiloPort={siloPort}",
            $"Handoff:Server:Silo:GatewayPort={gatewayPort}",
            $"Handoff:Server:Storage:SqlitePath={Path.Combine(folder, "handoff.db")}",
            Credentials.Setting,
            "Logging:LogLevel:Default=Warning",
        }.Concat(settings))
        {
            start.ArgumentList.Add("--" + setting);
        }

        process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await WaitServingAsync();
    }

    /// <summary>SIGKILL, as in a crash: every connection the page has is cut.</summary>
    public async Task KillAsync()
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        process?.Dispose();
        channel.Dispose();
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A file the killed process held may linger a moment; the folder is under the temporary directory.
        }
    }

    private async Task WaitServingAsync()
    {
        var health = new Health.HealthClient(channel);
        await Wait.UntilAsync(async () =>
        {
            if (process!.HasExited)
            {
                throw new InvalidOperationException($"The host exited with {process.ExitCode.ToString(CultureInfo.InvariantCulture)} before serving:\n{Output}");
            }

            try
            {
                var reply = await health.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(2));
                return reply.Status == HealthCheckResponse.Types.ServingStatus.Serving;
            }
            catch (Grpc.Core.RpcException)
            {
                return false;
            }
        }, () => $"the host to serve:\n{Output}", TimeSpan.FromSeconds(90));
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
