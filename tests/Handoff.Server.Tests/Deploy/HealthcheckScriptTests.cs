using System.Diagnostics;
using Handoff.Server.Tests.Support;

namespace Handoff.Server.Tests.Deploy;

/// <summary>
/// deploy/docker/healthcheck.sh, the image's HEALTHCHECK that docker compose waits on, run against the real host:
/// healthy when the gRPC health service answers SERVING over gRPC-Web, unhealthy when nothing answers.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class HealthcheckScriptTests(ServerFixture fixture)
{
    private static readonly string Script = DeployFiles.PathOf("deploy/docker/healthcheck.sh");

    [Fact]
    public async Task Healthy_against_a_serving_host()
    {
        var (exit, error) = await RunAsync($"http://0.0.0.0:{fixture.Host.GrpcWebAddress.Port}");

        Assert.True(exit == 0, $"healthcheck.sh exited {exit}: {error}");
    }

    [Fact]
    public async Task Unhealthy_when_nothing_listens()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var (exit, _) = await RunAsync($"http://0.0.0.0:{port}");

        Assert.NotEqual(0, exit);
    }

    [Fact]
    public async Task Unhealthy_against_a_port_that_is_not_the_health_service()
    {
        // The HTTP/2-only gRPC port refuses the HTTP/1.0 request: no SERVING answer.
        var (exit, _) = await RunAsync($"http://0.0.0.0:{fixture.Host.GrpcAddress.Port}");

        Assert.NotEqual(0, exit);
    }

    private static async Task<(int Exit, string Error)> RunAsync(string grpcWebUrl)
    {
        var start = new ProcessStartInfo("bash", [Script])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["Handoff__Server__GrpcWebUrl"] = grpcWebUrl;
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.StandardOutput.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await error);
    }
}
