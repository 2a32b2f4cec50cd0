using System.Text;
using Google.Rpc;
using Grpc.Core;
using Handoff.Cli;
using Handoff.Cli.Commands;

Command[] commands = [.. IngestCommands.All, .. ContactCommands.All, .. HandoffCommands.All, .. InboxCommands.All, .. OutreachCommands.All, .. TokenCommands.All];

Console.OutputEncoding = Encoding.UTF8;
using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cts.Cancel();
};

var a = new Args(args);
var server = "";
Command? command = null;
try
{
    server = a.Option("--server") ?? Env("HANDOFF_SERVER") ?? "http://localhost:5080";
    var tenant = a.Option("--tenant") ?? "demo";
    var token = a.Option("--token") ?? Env("HANDOFF_TOKEN");
    var user = a.Option("--as") ?? Env("USER") ?? "cli";
    var roles = a.Options("--role");
    var help = a.Flag("--help") | a.Flag("-h");

    var group = a.NextWord();
    var inGroup = commands.Where(c => c.Name == group || c.Name.StartsWith($"{group} ", StringComparison.Ordinal)).ToList();
    if (group is null || inGroup.Count == 0)
    {
        if (group is not null) Console.Error.WriteLine($"error: unknown command '{group}'");
        PrintHelp(group is null && help ? Console.Out : Console.Error);
        return group is null && help ? 0 : 2;
    }
    var word = inGroup.Count == 1 && inGroup[0].Name == group ? null : a.NextWord();
    command = inGroup.FirstOrDefault(c => c.Name == (word is null ? group : $"{group} {word}"));
    if (help || command is null)
    {
        if (!help) Console.Error.WriteLine(word is null ? $"error: '{group}' needs a command" : $"error: unknown command '{group} {word}'");
        var output = help ? Console.Out : Console.Error;
        foreach (var c in command is null ? inGroup : [command])
        {
            output.WriteLine($"{c.Usage}\n    {c.Summary}");
            if (c.Details.Length > 0) output.WriteLine(string.Join('\n', c.Details.TrimEnd().Split('\n').Select(l => $"    {l}")));
        }
        return help ? 0 : 2;
    }

    using var ctx = new CliContext(server, tenant, new Identity(token, user, roles), cts.Token);
    return await command.Run(ctx, a);
}
catch (UsageException ex)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    if (command is not null) Console.Error.WriteLine($"usage: {command.Usage}");
    return 2;
}
catch (Exception) when (cts.IsCancellationRequested)
{
    Console.Error.WriteLine("interrupted");
    return 130;
}
catch (CliException ex)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    return 1;
}
catch (RpcException ex)
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
    return 1;
}

static string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;

void PrintHelp(TextWriter output)
{
    output.WriteLine("""
        handoff-cli: a command-line client for the Handoff service (SI Human Handoff cards).

        usage: handoff-cli [--server URL] [--tenant ID] [--token JWT | --as USER [--role ROLE]...] <command> [arguments]

          --server URL   the gRPC server (plain HTTP/2); default $HANDOFF_SERVER, else http://localhost:5080
          --tenant ID    the workspace; default demo
          --token JWT    the bearer token to call with; default $HANDOFF_TOKEN. Without one, the CLI asks a
                         server in Development (on this machine) for a token of --as in --tenant with --role
          --as USER      who you are without --token: the user recorded on your actions; default $USER, else cli
          --role ROLE    agent, admin or ingest, repeatable; default all three (the walkthrough plays every part)

        commands:
        """);
    var width = commands.Max(c => c.Name.Length) + 3;
    foreach (var c in commands) output.WriteLine($"  {c.Name.PadRight(width)}{c.Summary}");
    output.WriteLine("""

        Commands that act on a card (handoff resume|pause|resume-outreach, contact assign|auto-engage)
        take --card ID. Without it they first read the contact's current card and act on that one,
        like a screen acting on the card it shows; a newer card on the server fails the call.

        Enum arguments take short lower-case names: --stage sql, --phase win, --source si, --channel email.
        'handoff-cli <command> --help' shows a command's arguments. Exit codes: 0 ok, 1 error, 2 usage.
        """);
}
