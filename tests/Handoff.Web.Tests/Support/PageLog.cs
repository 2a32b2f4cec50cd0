using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace Handoff.Web.Tests.Support;

/// <summary>
/// What a page said on its console, the script errors it met and the calls that failed, so that a failed expectation
/// tells what the page saw, not only what it did not show.
/// </summary>
public sealed class PageLog
{
    private readonly ConcurrentQueue<string> lines = new();

    public PageLog(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        page.Console += (_, message) => lines.Enqueue($"console {message.Type}: {message.Text}");
        page.PageError += (_, error) => lines.Enqueue($"page error: {error}");
        page.Response += (_, response) =>
        {
            if (response.Headers.TryGetValue("grpc-status", out var status) && status != "0")
            {
                lines.Enqueue($"{response.Url}: grpc-status {status} {response.Headers.GetValueOrDefault("grpc-message")}");
            }
        };
        page.RequestFailed += (_, request) => lines.Enqueue($"{request.Url}: failed {request.Failure}");
    }

    /// <summary>Runs <paramref name="expectation"/>; when it fails, the failure carries the page's text and this log.</summary>
    public async Task ExpectAsync(IPage page, Func<Task> expectation)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(expectation);
        try
        {
            await expectation();
        }
        catch (PlaywrightException e)
        {
            var text = await page.InnerTextAsync("body");
            throw new InvalidOperationException($"{e.Message}\nThe page showed:\n{text}\nThe page's log:\n{string.Join("\n", lines)}", e);
        }
    }
}
