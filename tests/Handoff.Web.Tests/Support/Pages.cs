using Microsoft.Playwright;

namespace Handoff.Web.Tests.Support;

/// <summary>What a person does on the page, in the page's own words (labels and roles, as a screen reader finds them).</summary>
public static class Pages
{
    /// <summary>Opens the page at <paramref name="contactId"/> and signs in through the development sign-in form.</summary>
    public static async Task<IPage> SignInAsync(IBrowserContext context, HostProcess host, string tenant, string user, string role = "agent",
        string contactId = Walkthrough.Contact)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(host.PageAddress, $"?contact={contactId}").ToString());
        await page.GetByLabel("User").FillAsync(user);
        await page.GetByLabel("Role").SelectOptionAsync(role);
        await page.GetByLabel("Tenant").FillAsync(tenant);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.Locator("#signed-in-as")).ToContainTextAsync($"Signed in as {user}");
        return page;
    }

    public static ILocator Card(this IPage page) => page.GetByRole(AriaRole.Region, new() { Name = "SI Human Handoff" });

    public static ILocator Notifications(this IPage page) => page.Locator("#notifications > li.notification");

    public static ILocator Button(this IPage page, string name) => page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    /// <summary>Saves a screenshot under artifacts/screenshots for people to look at.</summary>
    public static async Task ScreenshotAsync(this IPage page, string name)
    {
        Directory.CreateDirectory(RepositoryPaths.Screenshots);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(RepositoryPaths.Screenshots, $"{name}.png"), FullPage = true });
    }
}
