using Handoff.Cluster.Tests.Support;
using Handoff.Protos.V1;
using Handoff.Server.Tests.Support;

namespace Handoff.Cluster.Tests.Logs;

/// <summary>
/// What an operator reads: the real server binary, logging as shipped, started clean in Development as the README's
/// walkthrough starts it, and taken through the walkthrough. Its log holds the start-up and the cards' story, and no
/// warning, no error and no library's per-call chatter.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class CleanLogTests : IDisposable
{
    private const string Tenant = "demo";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private readonly string folder = Path.Combine(Path.GetTempPath(), "handoff-log-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task A_clean_start_and_the_walkthrough_log_no_warning_no_error_and_no_per_call_chatter()
    {
        await using var host = SiloProcess.StartOnSqliteAsShipped("host", Path.Combine(folder, "handoff.db"), "environment=Development");
        await host.WaitServingAsync(Patience);
        var crm = Clients(host, "crm-sync", "ingest");
        var alice = Clients(host, "alice", "agent");
        var plan = new EventPlan(contacts: 1, hotContacts: 1, eventsPerContact: 0, DateTimeOffset.UtcNow);
        var contact = plan.HotContacts[0];

        await crm.Contacts.UpsertContactAsync(new UpsertContactRequest { ContactId = contact, DisplayName = "Brandon Lee", OwnerUserId = "alice" });
        await crm.Outreach.QueueMessageAsync(new QueueMessageRequest
        {
            ContactId = contact, MessageId = "si-1", Source = MessageSource.Si, Channel = Channel.Email, Body = "Five webinar tips",
        });
        using var watch = alice.Notifications.WatchNotifications(new WatchNotificationsRequest { Inbox = new InboxRef { Kind = InboxKind.User } });
        foreach (var batch in plan.WarmUpBatches(Tenant, 100))
        {
            await crm.Ingest.IngestBatchAsync(batch);
        }

        using var deadline = new CancellationTokenSource(Patience);
        while (await watch.ResponseStream.MoveNext(deadline.Token) && watch.ResponseStream.Current.Notification is null)
        {
        }

        var card = (await alice.Contacts.GetContactAsync(new GetContactRequest { ContactId = contact })).Contact.Card;
        await alice.Handoffs.PauseAllOutreachAsync(new PauseAllOutreachRequest { ContactId = contact, CardId = card.CardId, Reason = "Calling him myself" });
        await alice.Handoffs.ResumeAutomationAsync(new ResumeAutomationRequest { ContactId = contact, CardId = card.CardId });
        await crm.Outreach.ClaimDueMessagesAsync(new ClaimDueMessagesRequest { ContactId = contact });
        await alice.Contacts.GetContactHistoryAsync(new GetContactHistoryRequest { ContactId = contact });
        await WaitForAsync(host, $"{card.CardId} of contact {contact} of tenant {Tenant} resolved");

        var log = host.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var loud = log.Where(l => l.StartsWith("warn:", StringComparison.Ordinal) || l.StartsWith("fail:", StringComparison.Ordinal)
            || l.StartsWith("crit:", StringComparison.Ordinal)).ToList();
        Assert.True(loud.Count == 0, $"Warnings or errors in a clean run:\n{host.Output}");
        Assert.DoesNotContain(log, l => l.Contains("Polly", StringComparison.Ordinal));
        Assert.Contains(log, l => l.Contains("Now listening on", StringComparison.Ordinal));
        Assert.Contains(log, l => l.Contains($"Handoff card {card.CardId} raised", StringComparison.Ordinal));
    }

    public void Dispose()
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static HostClients Clients(SiloProcess host, string user, params string[] roles) =>
        new(SiloProcess.Credentials.As(host.Channel.CreateCallInvoker(), Tenant, user, roles));

    private static Task WaitForAsync(SiloProcess host, string text) =>
        Wait.UntilAsync(() => host.Output.Contains(text, StringComparison.Ordinal), () => $"the log to say \"{text}\":\n{host.Output}", Patience);
}
