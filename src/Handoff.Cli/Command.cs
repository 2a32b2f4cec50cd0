using System.CommandLine;
using System.CommandLine.Parsing;

namespace Handoff.Cli;

/// <summary>
/// One command: its words ("contact show"), one-line summary, details for its --help, the arguments and options it
/// takes, the rules between them, and what it does with what was parsed.
/// </summary>
internal sealed record Command(string Name, string Summary, string Details, Symbol[] Parameters, Func<CliContext, ParseResult, Task<int>> Handler)
{
    /// <summary>Checks across options (one of --user, --unassigned, --team), made while parsing like any other mistake.</summary>
    public Action<CommandResult>[] Rules { get; init; } = [];

    /// <summary>Runs on its own arguments (the words after its name), as a test or another program calls it.</summary>
    public Func<CliContext, Args, Task<int>> Run => (context, args) => Handler(context, args.ParseFor(this));

    /// <summary>The line shown with a mistake: the arguments, then the options, those that may be left out in brackets.</summary>
    public string Usage => string.Join(' ', new[] { "handoff-cli", Name }.Concat(Parameters.Select(Label)));

    /// <summary>This command as System.CommandLine parses it, named by the last of its words.</summary>
    public System.CommandLine.Command Define(string word)
    {
        var definition = new System.CommandLine.Command(word, Summary);
        foreach (var parameter in Parameters)
        {
            switch (parameter)
            {
                case Argument argument:
                    definition.Arguments.Add(argument);
                    break;
                case Option option:
                    definition.Options.Add(option);
                    break;
                default:
                    throw new InvalidOperationException($"{Name}: {parameter.Name} is neither an argument nor an option");
            }
        }

        foreach (var rule in Rules)
        {
            definition.Validators.Add(rule);
        }

        return definition;
    }

    private static string Label(Symbol parameter) => parameter switch
    {
        Argument argument => $"<{argument.Name}>",
        Option { ValueType: var type } option when type == typeof(bool) => $"[{option.Name}]",
        Option { Required: true } option => $"{option.Name} {option.HelpName}",
        Option option => $"[{option.Name} {option.HelpName}]",
        _ => parameter.Name,
    };
}
