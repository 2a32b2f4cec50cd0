namespace Handoff.Cli;

/// <summary>One command: its words ("contact show"), arguments, one-line summary, details for its --help, and what it does.</summary>
internal sealed record Command(string Name, string Arguments, string Summary, string Details, Func<CliContext, Args, Task<int>> Run)
{
    public string Usage => $"handoff-cli {Name} {Arguments}";
}
