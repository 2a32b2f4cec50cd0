using System.CommandLine;

namespace Handoff.Cli;

/// <summary>A mistake in the words a command was run on by itself (<see cref="Args"/>); the command line parser names its own.</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>Something went wrong while running a well-formed command: reported as is, exit code 1.</summary>
internal sealed class CliException(string message) : Exception(message);

/// <summary>The words after a command's name, parsed by that command alone (what a caller that runs one command hands it).</summary>
internal sealed class Args(IEnumerable<string> tokens)
{
    private readonly string[] _tokens = [.. tokens];

    /// <summary>The command's reading of the words; a mistake in them is a <see cref="UsageException"/> naming it.</summary>
    public ParseResult ParseFor(Command command)
    {
        var word = command.Name.Split(' ')[^1];
        var parsed = new RootCommand(command.Summary) { command.Define(word) }.Parse([word, .. _tokens]);
        return parsed.Errors.Count == 0
            ? parsed
            : throw new UsageException(string.Join("; ", parsed.Errors.Select(e => e.Message)));
    }
}
