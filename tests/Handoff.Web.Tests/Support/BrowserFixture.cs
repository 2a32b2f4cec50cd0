using Microsoft.Playwright;

namespace Handoff.Web.Tests.Support;

/// <summary>
/// One host process and one Chromium for the tests of a collection; every test has a tenant and a browser context of
/// its own. The sidebar's periodic refresh is set long here, so that only the live paths under test (the inbox stream,
/// the other tabs) change what a page shows.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public HostProcess Host { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    private IPlaywright playwright = null!;

    public async Task InitializeAsync()
    {
        Assertions.SetDefaultExpectTimeout((float)Wait.Patience.TotalMilliseconds);
        // The browser first: when it cannot start, no host process is left running (xunit disposes no fixture whose
        // start failed).
        (playwright, Browser) = await Chromium.LaunchAsync();
        Host = await HostProcess.StartAsync("Handoff:Web:SidebarRefreshInterval=01:00:00");
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        playwright.Dispose();
        await Host.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
