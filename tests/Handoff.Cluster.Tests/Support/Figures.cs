using Xunit.Abstractions;

namespace Handoff.Cluster.Tests.Support;

/// <summary>
/// The figures a cluster test measured: in the test's own output and in artifacts/test-figures.txt, which
/// .ci/run prints after the suite so they are visible in every CI run.
/// </summary>
public static class Figures
{
    private static readonly object Gate = new();

    public static void Report(ITestOutputHelper output, string line)
    {
        output.WriteLine(line);
        var folder = Path.Combine(RepositoryPaths.Root, "artifacts");
        Directory.CreateDirectory(folder);
        lock (Gate)
        {
            File.AppendAllText(Path.Combine(folder, "test-figures.txt"), $"{DateTime.UtcNow:u} {line}{Environment.NewLine}");
        }
    }
}
