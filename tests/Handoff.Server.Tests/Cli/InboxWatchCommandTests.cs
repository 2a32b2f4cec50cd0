using Handoff.Cli;
using Handoff.Cli.Commands;
using Handoff.Protos.V1;
using Handoff.Server.Tests.Support;

namespace Handoff.Server.Tests.Cli;

/// <summary>Runs alone: it takes over the process's console to read what the command prints.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCollection
{
    public const string Name = "console";
}

/// <summary>
/// handoff-cli inbox watch against the real host: it prints new notifications and what happens to them, with the unread
/// count, and takes a place past the inbox's end as the end instead of waiting for numbers that never come.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class InboxWatchCommandTests : IAsyncLifetime
{
    private ServerHost host = null!;

    public async Task InitializeAsync() => host = await ServerHost.StartAsync();

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task The_watch_prints_notifications_and_their_changes_with_the_unread_count_and_starts_at_the_end_when_asked_past_it()
    {
        var tenant = new TestTenant(host);
        var raised = await tenant.RaiseCardAsync("c-1", owner: "alice");
        var output = new StringWriter();
        var errors = new StringWriter();
        var (console, consoleErrors) = (Console.Out, Console.Error);
        Console.SetOut(TextWriter.Synchronized(output));
        Console.SetError(TextWriter.Synchronized(errors));
        try
        {
            using var stop = new CancellationTokenSource();
            using var cli = new CliContext(host.GrpcAddress.ToString(), tenant.Id,
                new Identity(host.Credentials.Token(tenant.Id, "alice", "agent"), "alice", []), stop.Token);
            var watch = InboxCommands.All.Single(c => c.Name == "inbox watch").Run(cli, new Args(["--after", "1000"]));

            await PrintedAsync(errors, "the inbox ends at #1, before #1000; watching after #1");
            await host.As(tenant.Id, "alice", "agent").Notifications.MarkNotificationsReadAsync(new MarkNotificationsReadRequest
            {
                TenantId = tenant.Id, Inbox = TestTenant.UserInbox("alice"), UpToSequence = 1,
            });
            await PrintedAsync(output, "#2  #1 read  SI Human Handoff: Contact c-1 needs you now");
            await PrintedAsync(output, "your inbox: 0 unread");
            await tenant.AddReasonAsync("c-1");
            await PrintedAsync(output, "#3  #1 updated (new reason)");
            await PrintedAsync(output, "card " + raised.Card.CardId + " v2");
            await tenant.ResumeAsync(raised);
            await PrintedAsync(output, "#4  #1 resolved (card resolved)");
            await tenant.RaiseCardAsync("c-2", owner: "alice");
            await PrintedAsync(output, "#5  HIGH  SI Human Handoff: Contact c-2 needs you now  [unread]");
            await PrintedAsync(output, "your inbox: 1 unread");

            await stop.CancelAsync();
            Assert.Equal(0, await watch.WaitAsync(Streams.Patience));
        }
        finally
        {
            Console.SetOut(console);
            Console.SetError(consoleErrors);
        }
    }

    private static Task PrintedAsync(StringWriter writer, string text) =>
        Wait.UntilAsync(() => writer.ToString().Contains(text, StringComparison.Ordinal), () => $"\"{text}\" to be printed. Printed:\n{writer}");
}
