using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace Handoff.Benchmarks;

/// <summary>
/// The real host (src/Handoff.Server/bin/{configuration}/net10.0/Handoff.Server.dll, built by this project's reference),
/// or the same host with the in-memory store plugged in, started as a separate process on free loopback ports, as users run it. Its last lines of output are kept for errors.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly Queue<string> lastLines = new();

    private HostProcess(Process process, int grpcPort, int managementPort)
    {
        this.process = process;
        GrpcAddress = $"http://127.0.0.1:{grpcPort}";
        ManagementAddress = $"http://127.0.0.1:{managementPort}";
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string GrpcAddress { get; }

    /// <summary>The management listener: health and the Prometheus scrape at /metrics.</summary>
    public string ManagementAddress { get; }

    public int Id => process.Id;

    /// <summary>The real host, on the store its settings configure.</summary>
    public static string ServerAssembly => Built("src", "Handoff.Server");

    /// <summary>The real host with the in-memory store plugged in (bench/Handoff.Benchmarks.MemoryHost): the baseline for "storage costs nothing".</summary>
    public static string MemoryHostAssembly => Built("bench", "Handoff.Benchmarks.MemoryHost");

    public static string RepositoryRoot
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Handoff.sln")))
            {
                directory = directory.Parent;
            }

            return directory?.FullName ?? throw new InvalidOperationException("Handoff.sln not found above the benchmark's output.");
        }
    }

    /// <summary>
    /// Starts the host with these settings (Handoff:Server:... = value) on top of fresh ports and warning-level logs, and
    /// with these environment variables on top of the benchmark's own.
    /// </summary>
    public static HostProcess Start(string workingDirectory, IEnumerable<KeyValuePair<string, string>> settings,
        IEnumerable<KeyValuePair<string, string>>? environment = null, string? assembly = null)
    {
        var grpcPort = FreePort();
        var managementPort = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        start.ArgumentList.Add(assembly ?? ServerAssembly);
        foreach (var (name, value) in environment ?? [])
        {
            start.Environment[name] = value;
        }

        var all = new Dictionary<string, string>
        {
            ["Handoff:Server:GrpcUrl"] = $"http://127.0.0.1:{grpcPort}",
            ["Handoff:Server:GrpcWebUrl"] = $"http://127.0.0.1:{FreePort()}",
            ["Handoff:Server:ManagementUrl"] = $"http://127.0.0.1:{managementPort}",
            ["Handoff:Auth:SigningKey"] = Bench.Credentials.SigningKey,
            // The benchmark's one identity stands in for every user and service of its tenant: no per-caller rate applies,
            // and the event rates a tenant is allowed by default (50,000 a second) must not cap what is measured.
            ["Handoff:Limits:CallsPerSecondPerUser"] = "1000000",
            ["Handoff:Limits:CallBurstPerUser"] = "1000000",
            ["Handoff:Limits:CallsPerSecondPerTenant"] = "1000000",
            ["Handoff:Limits:CallBurstPerTenant"] = "1000000",
            ["Handoff:Limits:EventsPerSecondPerCaller"] = "100000000",
            ["Handoff:Limits:EventBurstPerCaller"] = "100000000",
            ["Handoff:Limits:EventsPerSecondPerTenant"] = "100000000",
            ["Handoff:Limits:EventBurstPerTenant"] = "100000000",
            ["Handoff:Server:Silo:SiloPort"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Handoff:Server:Silo:GatewayPort"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        foreach (var (key, value) in all)
        {
            start.ArgumentList.Add($"--{key}={value}");
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        return new HostProcess(process, grpcPort, managementPort);
    }

    public string Output
    {
        get
        {
            lock (lastLines)
            {
                return string.Join(Environment.NewLine, lastLines);
            }
        }
    }

    /// <summary>Waits until the gRPC health service answers SERVING.</summary>
    public async Task WaitServingAsync(TimeSpan timeout)
    {
        using var channel = GrpcChannel.ForAddress(GrpcAddress);
        var health = new Health.HealthClient(channel);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            EnsureRunning();
            try
            {
                var reply = await health.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(2));
                if (reply.Status == HealthCheckResponse.Types.ServingStatus.Serving)
                {
                    return;
                }
            }
            catch (Grpc.Core.RpcException)
            {
                // Not listening or not ready yet.
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The host did not serve within {timeout}:\n{Output}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }
    }

    public void EnsureRunning()
    {
        if (process.HasExited)
        {
            throw new InvalidOperationException($"The host exited with {process.ExitCode}:\n{Output}");
        }
    }

    /// <summary>Resident set size now (VmRSS) in bytes; null where /proc is not there.</summary>
    public long? Rss => ProcStatus("VmRSS");

    /// <summary>Peak resident set size since the process started (VmHWM) in bytes.</summary>
    public long? PeakRss => ProcStatus("VmHWM");

    /// <summary>CPU time the host has used, user and system.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            process.Refresh();
            return process.TotalProcessorTime;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }

    /// <summary>A project's assembly as built in the configuration the benchmark runs in (by its project references).</summary>
    private static string Built(string folder, string project)
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
            ? "Release"
            : "Debug";
        var path = Path.Combine(RepositoryRoot, folder, project, "bin", configuration, "net10.0", $"{project}.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build {folder}/{project} first (the benchmark's project reference does).", path);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private long? ProcStatus(string field)
    {
        var path = $"/proc/{process.Id}/status";
        if (!File.Exists(path))
        {
            return null;
        }

        var line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        // "VmHWM:    123456 kB"
        return line is null ? null : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (lastLines)
        {
            lastLines.Enqueue(line);
            if (lastLines.Count > 200)
            {
                lastLines.Dequeue();
            }
        }
    }
}
