using Handoff.Cli;

namespace Handoff.Server.Tests.Cli;

/// <summary>
/// handoff-cli's command line without a server: --help on every command, and a mistake in the line named, with the
/// command's usage, exit code 2 and nothing sent.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class CommandLineTests
{
    [Fact]
    public async Task Help_lists_every_command_and_the_notes_that_hold_for_all_of_them()
    {
        var (exit, output, errors) = await RunAsync("--help");

        Assert.Equal(CliApp.Ok, exit);
        Assert.Empty(errors);
        foreach (var group in CliApp.Commands.Select(c => c.Name.Split(' ')[0]).Distinct())
        {
            Assert.Contains($"  {group} ", output, StringComparison.Ordinal);
        }

        Assert.Contains("--server <URL>", output, StringComparison.Ordinal);
        Assert.Contains("Exit codes: 0 ok, 1 error, 2 usage", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_command_has_help_with_its_arguments_options_and_details()
    {
        foreach (var command in CliApp.Commands)
        {
            var (exit, output, errors) = await RunAsync([.. command.Name.Split(' '), "--help"]);

            Assert.True(exit == CliApp.Ok, $"{command.Name} --help exited {exit}: {errors}");
            Assert.Contains(command.Summary, output, StringComparison.Ordinal);
            Assert.Contains($"handoff-cli {command.Name}", output, StringComparison.Ordinal);
            foreach (var option in command.Parameters.OfType<System.CommandLine.Option>())
            {
                Assert.Contains(option.Name, output, StringComparison.Ordinal);
            }

            Assert.Contains(command.Details.Split('\n')[0].Trim(), output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_wrong_value_is_a_usage_error_that_names_the_option_and_shows_the_usage()
    {
        var (exit, output, errors) = await RunAsync("--server", "http://127.0.0.1:1", "outreach", "claim", "c-1", "--max", "zero");

        Assert.Equal(CliApp.Misused, exit);
        Assert.Empty(output);
        Assert.Contains("error: --max must be a positive whole number", errors, StringComparison.Ordinal);
        Assert.Contains("usage: handoff-cli outreach claim <contactId> [--max N]", errors, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--up-to", "inbox", "read")]
    [InlineData("--source", "outreach", "check", "c-1", "--source", "robot")]
    [InlineData("--unassigned", "inbox", "list", "--team", "--unassigned")]
    [InlineData("--owner", "handoff", "list", "--owner", "alice", "--unassigned")]
    [InlineData("'extra'", "contact", "show", "c-1", "extra")]
    [InlineData("'contactId'", "contact", "show")]
    [InlineData("'nope'", "contact", "nope")]
    public async Task A_missing_wrong_or_unknown_word_exits_2_naming_it(string named, params string[] args)
    {
        var (exit, _, errors) = await RunAsync(args);

        Assert.Equal(CliApp.Misused, exit);
        Assert.Contains("error: ", errors, StringComparison.Ordinal);
        Assert.Contains(named, errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_command_run_on_its_own_words_refuses_a_mistake_before_it_calls_anything()
    {
        var watch = CliApp.Commands.Single(c => c.Name == "inbox watch");
        using var context = new CliContext("http://127.0.0.1:1", "t", new Identity("token", "alice", []), CancellationToken.None);

        var refusal = await Assert.ThrowsAsync<UsageException>(() => watch.Run(context, new Args(["--after", "-1"])));

        Assert.Contains("--after", refusal.Message, StringComparison.Ordinal);
    }

    private static async Task<(int Exit, string Output, string Errors)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        var (console, consoleErrors) = (Console.Out, Console.Error);
        Console.SetOut(output);
        Console.SetError(errors);
        try
        {
            var exit = await CliApp.RunAsync(args, CancellationToken.None);
            return (exit, output.ToString(), errors.ToString());
        }
        finally
        {
            Console.SetOut(console);
            Console.SetError(consoleErrors);
        }
    }
}
