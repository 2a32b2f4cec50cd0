using System.CommandLine;

namespace Handoff.Cli.Commands;

/// <summary>completion: tab completion of commands, options and enum values in bash (and zsh through bashcompinit).</summary>
internal static class CompletionCommands
{
    private static readonly Option<string> Name = Parameter.Text("--name", "NAME", "also complete this name, an alias of the CLI (default handoff)");

    public static readonly Command[] All =
    [
        new("completion", "Print a bash script that completes handoff-cli's commands and options on Tab",
            """
            Load it in the shell with: source <(handoff-cli completion)
            or keep it in ~/.bashrc. In zsh, run 'autoload -U bashcompinit && bashcompinit' first.
            The script asks this CLI (at its current path) what may come next.
            """,
            [Name], Script),
    ];

    private static Task<int> Script(CliContext ctx, ParseResult parsed)
    {
        var program = Environment.ProcessPath ?? "handoff-cli";
        var alias = parsed.GetValue(Name) ?? "handoff";
        // The word typed first may be an alias, which the completion call cannot run: the line goes to the CLI
        // without it, and the cursor moves back by as much.
        Console.WriteLine($$"""
            _handoff_cli_complete() {
                local IFS=$'\n'
                local line="${COMP_LINE#*[[:space:]]}"
                local point=$((COMP_POINT - ${#COMP_LINE} + ${#line}))
                COMPREPLY=($('{{program.Replace("'", "'\\''", StringComparison.Ordinal)}}' "[suggest:$point]" "$line" 2>/dev/null))
            }
            complete -o default -F _handoff_cli_complete handoff-cli {{alias}}
            """);
        return Task.FromResult(0);
    }
}
