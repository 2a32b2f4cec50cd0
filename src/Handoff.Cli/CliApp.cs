using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using Google.Rpc;
using Grpc.Core;
using Handoff.Cli.Commands;

namespace Handoff.Cli;

/// <summary>
/// handoff-cli's command line: the options every command takes, the command tree with its help and completions, and
/// how each outcome reads and exits (0 ok, 1 error, 2 a mistake in the command line, 130 interrupted).
/// </summary>
internal static class CliApp
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Misused = 2;
    public const int Interrupted = 130;

    private const string DefaultServer = "http://localhost:5080";
    private const string DefaultTenant = "demo";
    private const string DefaultUser = "cli";

    private static readonly Option<string> Server = Global("--server", "URL", $"the gRPC server (plain HTTP/2); default $HANDOFF_SERVER, else {DefaultServer}");
    private static readonly Option<string> Tenant = Global("--tenant", "ID", $"the workspace; default {DefaultTenant}");
    private static readonly Option<string> Token = Global("--token", "JWT",
        "the bearer token to call with; default $HANDOFF_TOKEN. Without one, the CLI asks a server in Development (on this machine) "
        + "for a token of --as in --tenant with --role");
    private static readonly Option<string> As = Global("--as", "USER", $"who you are without --token: the user recorded on your actions; default $USER, else {DefaultUser}");
    private static readonly Option<string[]> Roles = new("--role")
    {
        HelpName = "ROLE",
        Description = "agent, admin or ingest, repeatable; default all three (the walkthrough plays every part)",
        Arity = ArgumentArity.OneOrMore,
        Recursive = true,
    };

    public static readonly Command[] Commands =
    [
        .. IngestCommands.All, .. ContactCommands.All, .. HandoffCommands.All, .. InboxCommands.All, .. OutreachCommands.All,
        .. TokenCommands.All, .. CompletionCommands.All,
    ];

    private const string Notes = """
        Commands that act on a card (handoff resume|pause|resume-outreach, contact assign|auto-engage)
        take --card ID. Without it they first read the contact's current card and act on that one,
        like a screen acting on the card it shows; a newer card on the server fails the call.

        Enum arguments take short lower-case names: --stage sql, --phase win, --source si, --channel email.
        'handoff-cli <command> --help' shows a command's arguments; 'handoff-cli completion --help' sets up
        tab completion. Exit codes: 0 ok, 1 error, 2 usage, 130 interrupted.
        """;

    /// <summary>Runs one command line, writing to the console as it is when called.</summary>
    public static async Task<int> RunAsync(string[] args, CancellationToken cancel)
    {
        var root = Tree(out var commandOf);
        var parsed = root.Parse(args);
        if (parsed.Action is ParseErrorAction)
        {
            foreach (var error in parsed.Errors) Console.Error.WriteLine($"error: {error.Message}");
            if (commandOf.TryGetValue(parsed.CommandResult.Command, out var command))
            {
                Console.Error.WriteLine($"usage: {command.Usage}");
                Console.Error.WriteLine($"'handoff-cli {command.Name} --help' says more");
            }
            else
            {
                Console.Error.WriteLine($"'{string.Join(' ', Path(parsed.CommandResult.Command).Prepend("handoff-cli"))} --help' lists the commands");
            }

            return Misused;
        }

        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration
            {
                Output = Console.Out,
                Error = Console.Error,
                EnableDefaultExceptionHandler = false,
                // Ctrl+C is the caller's token: a watch ends quietly with 0, anything else reports the interruption.
                ProcessTerminationTimeout = null,
            }, cancel);
        }
        catch (Exception) when (cancel.IsCancellationRequested)
        {
            Console.Error.WriteLine("interrupted");
            return Interrupted;
        }
        catch (CliException ex)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return Failed;
        }
        catch (RpcException ex)
        {
            Report(ex, ServerOf(parsed));
            return Failed;
        }
    }

    /// <summary>The root with the global options, a group per first word ("contact") and a command per last word.</summary>
    private static RootCommand Tree(out Dictionary<System.CommandLine.Command, Command> commandOf)
    {
        var root = new RootCommand("handoff-cli: a command-line client for the Handoff service (SI Human Handoff cards).") { Server, Tenant, Token, As, Roles };
        // The help names the program as its users type it, whatever the process is (a test host runs it too).
        root.HelpName = "handoff-cli";
        commandOf = [];
        foreach (var command in Commands)
        {
            var words = command.Name.Split(' ');
            var parent = words.SkipLast(1).Aggregate<string, System.CommandLine.Command>(root, Group);
            var definition = command.Define(words[^1]);
            definition.SetAction((parsed, cancel) => RunAsync(command, parsed, cancel));
            parent.Subcommands.Add(definition);
            commandOf[definition] = command;
        }

        var help = root.Options.OfType<HelpOption>().Single();
        help.Action = new HelpWithNotes((SynchronousCommandLineAction)help.Action!, root, commandOf);
        return root;
    }

    private static System.CommandLine.Command Group(System.CommandLine.Command parent, string word)
    {
        if (parent.Subcommands.FirstOrDefault(c => c.Name == word) is { } existing) return existing;
        var group = new System.CommandLine.Command(word, $"{word} commands (handoff-cli {word} <command> --help)");
        parent.Subcommands.Add(group);
        return group;
    }

    private static async Task<int> RunAsync(Command command, ParseResult parsed, CancellationToken cancel)
    {
        var identity = new Identity(parsed.GetValue(Token) ?? Env("HANDOFF_TOKEN"), parsed.GetValue(As) ?? Env("USER") ?? DefaultUser,
            parsed.GetValue(Roles) ?? []);
        using var context = new CliContext(ServerOf(parsed), parsed.GetValue(Tenant) ?? DefaultTenant, identity, cancel);
        return await command.Handler(context, parsed);
    }

    /// <summary>The words that lead to a command, without the program's name ("contact", "show").</summary>
    private static IEnumerable<string> Path(System.CommandLine.Command command) =>
        command is RootCommand || command.Parents.OfType<System.CommandLine.Command>().FirstOrDefault() is not { } parent
            ? []
            : Path(parent).Append(command.Name);

    /// <summary>The standard help, then what holds for every command (after the root's) or a command's details.</summary>
    private sealed class HelpWithNotes(SynchronousCommandLineAction standard, RootCommand root,
        Dictionary<System.CommandLine.Command, Command> commandOf) : SynchronousCommandLineAction
    {
        public override bool ClearsParseErrors => true;

        public override int Invoke(ParseResult parseResult)
        {
            var exit = standard.Invoke(parseResult);
            var output = parseResult.InvocationConfiguration.Output;
            var shown = parseResult.CommandResult.Command;
            if (shown == root) output.WriteLine(Notes);
            else if (commandOf.TryGetValue(shown, out var command) && command.Details.Length > 0) output.WriteLine($"{command.Details.TrimEnd()}\n");
            return exit;
        }
    }

    private static void Report(RpcException ex, string server)
    {
        Console.Error.WriteLine(ex.Status.Detail.Length > 0 ? $"error: {ex.StatusCode}: {ex.Status.Detail}" : $"error: {ex.StatusCode}");
        var status = ex.GetRpcStatus();
        foreach (var v in status?.GetDetail<BadRequest>()?.FieldViolations ?? [])
            Console.Error.WriteLine($"  {v.Field}: {v.Description}");
        foreach (var v in status?.GetDetail<PreconditionFailure>()?.Violations ?? [])
            Console.Error.WriteLine($"  {v.Subject}: {v.Description}");
        if (status?.GetDetail<RequestInfo>() is { } request)
            Console.Error.WriteLine($"  correlation id: {request.RequestId}");
        if (ex.StatusCode == StatusCode.Unavailable)
            Console.Error.WriteLine($"  is the server running at {server}? (set --server or HANDOFF_SERVER)");
        if (ex.StatusCode == StatusCode.Unauthenticated)
            Console.Error.WriteLine("  give a valid token with --token or HANDOFF_TOKEN ('handoff-cli token --help' makes one in Development)");
    }

    private static string ServerOf(ParseResult parsed) => parsed.GetValue(Server) ?? Env("HANDOFF_SERVER") ?? DefaultServer;

    private static Option<string> Global(string name, string valueName, string description) =>
        new(name) { HelpName = valueName, Description = description, Recursive = true };

    private static string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
}
