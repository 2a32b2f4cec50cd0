namespace Handoff.Web.Tests.Support;

internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The host binary built alongside these tests (same configuration), with the page it serves next to it.</summary>
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

    /// <summary>axe-core's browser bundle, installed with the page's npm packages by the host's build.</summary>
    public static string AxeScript => Path.Combine(Root, "web", "node_modules", "axe-core", "axe.min.js");

    /// <summary>The walkthrough's events (README), which raise Brandon Lee's card.</summary>
    public static string WalkthroughEvents => Path.Combine(Root, "samples", "walkthrough-events.jsonl");

    /// <summary>Screenshots for people: under artifacts/ (never committed).</summary>
    public static string Screenshots => Path.Combine(Root, "artifacts", "screenshots");

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
