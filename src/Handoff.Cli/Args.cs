namespace Handoff.Cli;

/// <summary>A mistake in how the command was called: reported with the command's usage, exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>Something went wrong while running a well-formed command: reported as is, exit code 1.</summary>
internal sealed class CliException(string message) : Exception(message);

/// <summary>
/// The command line as a list of tokens that commands take from: options (anywhere on the line) first,
/// then the positional words that remain. Whatever nobody took is a mistake.
/// </summary>
internal sealed class Args(IEnumerable<string> tokens)
{
    private readonly List<string> _tokens = [.. tokens];

    /// <summary>Takes the next word if it is not an option (the command words).</summary>
    public string? NextWord()
    {
        if (_tokens.Count == 0 || _tokens[0].StartsWith('-')) return null;
        var word = _tokens[0];
        _tokens.RemoveAt(0);
        return word;
    }

    public bool Flag(string name) => _tokens.Remove(name);

    public string? Option(string name)
    {
        var i = _tokens.IndexOf(name);
        if (i < 0) return null;
        if (i + 1 == _tokens.Count) throw new UsageException($"{name} needs a value");
        var value = _tokens[i + 1];
        _tokens.RemoveRange(i, 2);
        return value;
    }

    /// <summary>Every value of an option that may be given more than once (--role agent --role admin).</summary>
    public List<string> Options(string name)
    {
        var values = new List<string>();
        while (Option(name) is { } value) values.Add(value);
        return values;
    }

    public string Required(string name) => Option(name) ?? throw new UsageException($"{name} is required");

    public int? PositiveInt(string name) => Option(name) switch
    {
        null => null,
        var s when int.TryParse(s, out var n) && n > 0 => n,
        _ => throw new UsageException($"{name} must be a positive whole number"),
    };

    public long? Sequence(string name) => Option(name) switch
    {
        null => null,
        var s when long.TryParse(s, out var n) && n >= 0 => n,
        _ => throw new UsageException($"{name} must be a sequence number (0 or more)"),
    };

    /// <summary>Exactly one word per name, once every option has been taken.</summary>
    public string[] Positionals(params string[] names)
    {
        if (_tokens.FirstOrDefault(t => t.StartsWith("--", StringComparison.Ordinal)) is { } option)
            throw new UsageException($"unexpected option {option}");
        if (_tokens.Count < names.Length) throw new UsageException($"missing <{names[_tokens.Count]}>");
        if (_tokens.Count > names.Length) throw new UsageException($"unexpected argument '{_tokens[names.Length]}'");
        return [.. _tokens];
    }
}
