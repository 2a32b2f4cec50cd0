namespace Handoff.Cluster.Tests.Support;

internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The host binary built alongside these tests (same configuration).</summary>
    public static string ServerAssembly
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                ? "Release"
                : "Debug";
            var path = Path.Combine(Root, "src", "Handoff.Server", "bin", configuration, "net10.0", "Handoff.Server.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException("Build src/Handoff.Server first.", path);
        }
    }

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Handoff.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Handoff.sln not found above the test output.");
    }
}
