using System.Diagnostics;
using System.Text;
using Handoff.Server.Tests.Deploy;
using Handoff.Server.Tests.Support;

namespace Handoff.Server.Tests.EndToEnd;

/// <summary>
/// The README's walkthrough as a newcomer runs it: the CLI installed with the README's own publish command, then every
/// command of its code blocks, word for word, through that CLI, against a real host in Development that hands out the
/// development tokens the CLI asks for. A command the README shows failing ends with the error it names.
/// </summary>
public sealed class ReadmeWalkthroughTests : IAsyncLifetime
{
    private const string InstalledCli = ".handoff-cli/handoff-cli";
    private const string Install = "dotnet publish src/Handoff.Cli -o .handoff-cli";

    private readonly string installed = Path.Combine(Path.GetTempPath(), "handoff-cli-tests", Guid.NewGuid().ToString("N"));
    private ServerHost host = null!;

    public async Task InitializeAsync()
    {
        host = await ServerHost.StartAsync(null, "environment=Development");
        await InstallAsync();
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        Directory.Delete(installed, recursive: true);
    }

    [Fact]
    public async Task Every_command_of_the_walkthrough_works_as_written_through_the_installed_CLI()
    {
        var blocks = WalkthroughBlocks();
        Assert.Equal(2, blocks.Count);
        var steps = blocks[0];
        Assert.Contains(Install, steps);
        Assert.Contains($"alias handoff=\"$PWD/{InstalledCli}\"", steps);
        Assert.DoesNotContain(steps.Concat(blocks[1]), l => l.Contains("dotnet run", StringComparison.Ordinal));

        Process? watch = null;
        var watched = new StringBuilder();
        try
        {
            foreach (var line in steps.Where(l => l.StartsWith("handoff ", StringComparison.Ordinal)))
            {
                var words = Words(line);
                if (words.Contains("watch"))
                {
                    // "In a third terminal": it runs beside the other steps until the end.
                    watch = Start(words, watched);
                    continue;
                }

                var (exit, output) = await RunAsync(words);
                Assert.True(exit == 0, $"`{line}` exited {exit}:\n{output}");
            }

            var (_, history) = await RunAsync(Words("handoff contact history brandon"));
            Assert.Contains("owner assigned      crm-sync", history, StringComparison.Ordinal);
            Assert.Contains("automation resumed  alice", history, StringComparison.Ordinal);
            string Watched()
            {
                lock (watched)
                {
                    return watched.ToString();
                }
            }

            await WaitForAsync(Watched, "HIGH  SI Human Handoff: Brandon Lee needs you now");
            // Resume SI Automation resolved the notification on Alice's screen as it happened.
            await WaitForAsync(Watched, "resolved (card resolved)");
        }
        finally
        {
            watch?.Kill(entireProcessTree: true);
        }

        foreach (var line in blocks[1].Where(l => l.StartsWith("handoff ", StringComparison.Ordinal)))
        {
            var comment = line[(line.IndexOf('#', StringComparison.Ordinal) + 1)..].Trim();
            var expected = comment.Split(':')[0];
            var (exit, output) = await RunAsync(Words(line[..line.IndexOf('#', StringComparison.Ordinal)]));
            Assert.True(exit == 1, $"`{line}` exited {exit}:\n{output}");
            Assert.Contains($"error: {expected}", output, StringComparison.Ordinal);
            if (expected == "FailedPrecondition")
            {
                // The PreconditionFailure the server attaches, printed as the README shows it: the card acted on
                // and the one that is current.
                var detail = comment[(expected.Length + 1)..].Trim();
                Assert.Contains($"  {detail[..detail.IndexOf("cards/...", StringComparison.Ordinal)]}cards/", output, StringComparison.Ordinal);
            }
        }
    }

    /// <summary>The bash blocks of the README's "Five-minute walkthrough" section, line by line.</summary>
    private static List<List<string>> WalkthroughBlocks()
    {
        var readme = File.ReadAllText(DeployFiles.PathOf("README.md"));
        var section = readme[readme.IndexOf("## Five-minute walkthrough", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n## ", 3, StringComparison.Ordinal)];
        var blocks = new List<List<string>>();
        foreach (var part in section.Split("```bash\n").Skip(1))
        {
            blocks.Add(part[..part.IndexOf("```", StringComparison.Ordinal)].Split('\n').Select(l => l.Trim()).ToList());
        }

        return blocks;
    }

    /// <summary>A command line as bash splits it (words, double-quoted strings), without the leading "handoff".</summary>
    private static List<string> Words(string line)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var quoted = false;
        foreach (var c in line.Trim())
        {
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == ' ' && !quoted)
            {
                if (word.Length > 0)
                {
                    words.Add(word.ToString());
                    word.Clear();
                }
            }
            else
            {
                word.Append(c);
            }
        }

        if (word.Length > 0)
        {
            words.Add(word.ToString());
        }

        Assert.Equal("handoff", words[0]);
        return words.Skip(1).ToList();
    }

    private async Task<(int Exit, string Output)> RunAsync(IReadOnlyList<string> words)
    {
        var output = new StringBuilder();
        using var process = Start(words, output);
        using var deadline = new CancellationTokenSource(Streams.Patience);
        await process.WaitForExitAsync(deadline.Token);
        return (process.ExitCode, output.ToString());
    }

    /// <summary>The README's install command, into a folder of this test's instead of the repository's .handoff-cli.</summary>
    private async Task InstallAsync()
    {
        var publish = new ProcessStartInfo("dotnet") { WorkingDirectory = DeployFiles.PathOf(""), RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var word in Install.Split(' ').Skip(1).SkipLast(1).Append(installed))
        {
            publish.ArgumentList.Add(word);
        }

        using var process = Process.Start(publish)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(deadline.Token);
        Assert.True(process.ExitCode == 0, $"`{Install}` exited {process.ExitCode}:\n{await output}\n{await errors}");
    }

    /// <summary>The installed CLI, run as the README runs it: from the repository root, talking to this host.</summary>
    private Process Start(IEnumerable<string> words, StringBuilder output)
    {
        var start = new ProcessStartInfo(Path.Combine(installed, "handoff-cli"))
        {
            WorkingDirectory = DeployFiles.PathOf(""),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["HANDOFF_SERVER"] = host.GrpcAddress.ToString().TrimEnd('/');
        start.Environment["USER"] = "newcomer";
        start.Environment.Remove("HANDOFF_TOKEN");
        foreach (var word in words)
        {
            start.ArgumentList.Add(word);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void Append(StringBuilder output, string? line)
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

    private static Task WaitForAsync(Func<string> text, string expected) =>
        Wait.UntilAsync(() => text().Contains(expected, StringComparison.Ordinal), () => $"the watch to print \"{expected}\":\n{text()}");
}
