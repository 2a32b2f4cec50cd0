using Microsoft.Playwright;

namespace Handoff.Web.Tests.Support;

/// <summary>
/// Debian's Chromium (package chromium, which .ci/run installs when missing), driven by Playwright: Playwright never
/// downloads a browser here. The flags keep a headless Chromium from reaching for services outside this machine.
/// </summary>
public static class Chromium
{
    /// <summary>HANDOFF_CHROMIUM names another build; by default Debian's.</summary>
    public static string ExecutablePath => Environment.GetEnvironmentVariable("HANDOFF_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    private static readonly string[] Flags =
    [
        "--no-sandbox", "--headless", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new FileNotFoundException($"No Chromium at {ExecutablePath}: install Debian's chromium package (apt-get install chromium), as .ci/run does, or set HANDOFF_CHROMIUM.", ExecutablePath);
        }

        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ExecutablePath, Headless = true, Args = Flags });
        return (playwright, browser);
    }
}
