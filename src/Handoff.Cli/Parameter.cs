using System.CommandLine;
using System.CommandLine.Parsing;

namespace Handoff.Cli;

/// <summary>
/// The kinds of argument and option the commands take, each with the message a wrong value gets: the option's name and
/// what it must be. Enum options complete to their short names.
/// </summary>
internal static class Parameter
{
    public static Argument<string> Word(string name, string description) => new(name) { Description = description };

    /// <summary>A word that must be one of <paramref name="choices"/>, offered as completions.</summary>
    public static Argument<string> OneOf(string name, string description, params string[] choices) =>
        Word(name, description).AcceptOnlyFromAmong(choices);

    public static Option<string> Text(string name, string valueName, string description, bool required = false) =>
        new(name) { HelpName = valueName, Description = description, Required = required };

    public static Option<bool> Flag(string name, string description) => new(name) { Description = description };

    public static Option<int?> PositiveInt(string name, string description) => new(name)
    {
        HelpName = "N",
        Description = description,
        CustomParser = result => int.TryParse(result.Tokens[0].Value, out var n) && n > 0
            ? n
            : Refuse<int?>(result, $"{name} must be a positive whole number"),
    };

    public static Option<long?> Sequence(string name, string description, bool required = false) => new(name)
    {
        HelpName = "SEQ",
        Description = description,
        Required = required,
        CustomParser = result => long.TryParse(result.Tokens[0].Value, out var n) && n >= 0
            ? n
            : Refuse<long?>(result, $"{name} must be a sequence number (0 or more)"),
    };

    /// <summary>A proto enum by its short name ("sql", "buying-signals"), offered as completions.</summary>
    public static Option<T?> Enum<T>(string name, string valueName, string description, bool required = false) where T : struct, System.Enum
    {
        var option = new Option<T?>(name)
        {
            HelpName = valueName,
            Description = $"{description}: {string.Join(", ", ProtoEnum.Choices<T>())}",
            Required = required,
            CustomParser = result => ProtoEnum.TryParse<T>(result.Tokens[0].Value, out var value)
                ? value
                : Refuse<T?>(result, $"{name} must be one of: {string.Join(", ", ProtoEnum.Choices<T>())}"),
        };
        // Only the short names: the enum's own member names (and its zero value) are not what the parser accepts.
        option.CompletionSources.Clear();
        option.CompletionSources.Add(_ => ProtoEnum.Choices<T>());
        return option;
    }

    /// <summary>Options of which at most one may be given (--user, --unassigned, --team).</summary>
    public static Action<CommandResult> AtMostOneOf(string message, params Option[] options) => command =>
    {
        if (options.Count(o => command.GetResult(o) is { Implicit: false }) > 1) command.AddError(message);
    };

    private static T? Refuse<T>(ArgumentResult result, string message)
    {
        result.AddError(message);
        return default;
    }
}
