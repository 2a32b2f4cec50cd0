using Grpc.Core;
using Handoff.Cli;
using Handoff.Protos.V1;
using Handoff.Server.Tests.Support;

namespace Handoff.Server.Tests.EndToEnd;

/// <summary>
/// The README walkthrough, step by step over gRPC against the real host, with the sample events file:
/// a WIN-phase SQL contact warms up, a card and a HIGH PRIORITY notification appear, the owner pauses all outreach,
/// the server restarts, and Resume SI Automation hands control back to SI.
/// </summary>
public sealed class WalkthroughTests : IAsyncLifetime
{
    private const string Tenant = "demo";
    private const string Contact = "brandon";
    private static readonly InboxRef AliceInbox = new() { Kind = InboxKind.User, UserId = "alice" };

    private ServerHost host = null!;

    /// <summary>The CRM sync and SI's pipeline: a service account of the tenant.</summary>
    private HostClients Crm => host.As(Tenant, "crm-sync", "ingest");

    /// <summary>Alice, the owner: a salesperson.</summary>
    private HostClients Alice => host.As(Tenant, "alice", "agent");

    public async Task InitializeAsync() => host = await ServerHost.StartAsync();

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task The_walkthrough_raises_a_card_survives_a_restart_and_hands_control_back_to_SI()
    {
        // 1. The contact, as the CRM knows it.
        var upserted = await Crm.Contacts.UpsertContactAsync(new UpsertContactRequest
        {
            TenantId = Tenant, ContactId = Contact, DisplayName = "Brandon Lee", OwnerUserId = "alice",
            Stage = LifecycleStage.Sql, Phase = PipelinePhase.Win,
        });
        Assert.Null(upserted.Contact.Card);

        // Alice watches her inbox from the start.
        using var watchCancel = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using var watch = Alice.Notifications.WatchNotifications(
            new WatchNotificationsRequest { TenantId = Tenant, Inbox = AliceInbox, AfterSequence = 0 }, cancellationToken: watchCancel.Token);

        // SI has messages waiting for Brandon, and Alice one of her own.
        await QueueAsync(Crm, "si-1", MessageSource.Si, "Webinar tips for your team");
        await QueueAsync(Alice, "manual-1", MessageSource.Manual, "Looking forward to Thursday - Alice");

        // 2. Five days of engagement, ingested as the README does (shifted so the newest event is now).
        var (events, errors) = EventFile.Read(SamplePath());
        Assert.Empty(errors);
        EventFile.ShiftToNow(events, DateTimeOffset.UtcNow);
        var ack = await IngestStreamAsync(events);
        Assert.Equal(events.Count, ack.AcceptedCount);
        Assert.Empty(ack.Rejected);

        // 3. The card is on the sidebar, with a summary built from Brandon's data.
        var contact = (await Alice.Contacts.GetContactAsync(new GetContactRequest { TenantId = Tenant, ContactId = Contact })).Contact;
        var card = contact.Card;
        Assert.NotNull(card);
        Assert.Equal(CardStatus.Active, card.Status);
        Assert.Equal("SI Human Handoff", card.Label);
        Assert.Contains(card.Reasons, r => r.Reason == HandoffReason.BuyingSignals);
        Assert.Contains(card.Reasons, r => r.Reason == HandoffReason.CriticalMoment);
        Assert.Contains("Brandon", card.Summary);
        Assert.Contains("WIN", card.Summary);
        Assert.Equal(Recommendation.HumanHandoff, contact.Engagement.Recommendation);
        Assert.True(contact.Engagement.Score >= 70);
        Assert.Equal(Trend.Rising, contact.Engagement.Trend);

        // SI is suspended while the card is active; Alice's own message may still go.
        Assert.Equal(DenialReason.HandoffActive, (await CheckAsync(MessageSource.Si)).DenialReason);
        Assert.True((await CheckAsync(MessageSource.Manual)).Allowed);

        // 4. One HIGH PRIORITY notification, live on the stream and in the inbox.
        Assert.True(await watch.ResponseStream.MoveNext(watchCancel.Token));
        var live = watch.ResponseStream.Current.Notification;
        Assert.Equal(card.CardId, live.CardId);
        Assert.Equal(NotificationPriority.High, live.Priority);
        var inbox = await Alice.Notifications.ListNotificationsAsync(new ListNotificationsRequest { TenantId = Tenant, Inbox = AliceInbox });
        Assert.Equal(live.Sequence, Assert.Single(inbox.Notifications).Sequence);
        Assert.Equal(1, inbox.UnreadCount);

        // 5. Alice pauses all outreach while she calls Brandon herself.
        var paused = (await Alice.Handoffs.PauseAllOutreachAsync(new PauseAllOutreachRequest
        {
            TenantId = Tenant, ContactId = Contact, CardId = card.CardId, Reason = "Calling him myself",
        })).Contact;
        Assert.True(paused.OutreachPause.Paused);
        Assert.Equal(CardStatus.Active, paused.Card.Status);
        Assert.Equal(DenialReason.OutreachPaused, (await CheckAsync(MessageSource.Manual)).DenialReason);
        Assert.All(await ListMessagesAsync(), m => Assert.Equal(MessageStatus.Held, m.Status));

        // 6. The server restarts: everything acknowledged is still there.
        watch.Dispose();
        host = await host.RestartAsync();
        var afterRestart = (await Alice.Contacts.GetContactAsync(new GetContactRequest { TenantId = Tenant, ContactId = Contact })).Contact;
        Assert.Equal(card.CardId, afterRestart.Card.CardId);
        Assert.Equal(CardStatus.Active, afterRestart.Card.Status);
        Assert.True(afterRestart.OutreachPause.Paused);
        Assert.Equal("alice", afterRestart.OutreachPause.PausedByUserId);
        Assert.Equal(2, (await ListMessagesAsync()).Count(m => m.Status == MessageStatus.Held));
        var inboxAfter = await Alice.Notifications.ListNotificationsAsync(new ListNotificationsRequest { TenantId = Tenant, Inbox = AliceInbox });
        Assert.Equal(live.Sequence, Assert.Single(inboxAfter.Notifications).Sequence);

        // The pipeline replays the same file: nothing is counted twice.
        var replay = await Crm.Ingest.IngestBatchAsync(Batch("replay", events));
        Assert.Equal(0, replay.AcceptedCount);
        Assert.Equal(events.Count, replay.DuplicateCount);

        // 7. A stale screen cannot act on the card.
        var stale = await Assert.ThrowsAsync<RpcException>(() => Alice.Handoffs.ResumeAutomationAsync(new ResumeAutomationRequest
        {
            TenantId = Tenant, ContactId = Contact, CardId = "an-older-card",
        }).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, stale.StatusCode);

        // 8. Resume SI Automation: card resolved, SI back on, held messages released, notification resolved.
        var resumed = (await Alice.Handoffs.ResumeAutomationAsync(new ResumeAutomationRequest
        {
            TenantId = Tenant, ContactId = Contact, CardId = card.CardId,
        })).Contact;
        Assert.Equal(CardStatus.Resolved, resumed.Card.Status);
        Assert.Equal(CardResolution.Resumed, resumed.Card.Resolution);
        Assert.Equal("alice", resumed.Card.ResolvedByUserId);
        Assert.True(resumed.AutoEngage);
        Assert.False(resumed.OutreachPause.Paused);
        Assert.Equal(Recommendation.ContinueAutomation, resumed.Engagement.Recommendation);
        Assert.True((await CheckAsync(MessageSource.Si)).Allowed);
        Assert.All(await ListMessagesAsync(), m => Assert.Equal(MessageStatus.Queued, m.Status));
        var resolvedInbox = await Alice.Notifications.ListNotificationsAsync(new ListNotificationsRequest { TenantId = Tenant, Inbox = AliceInbox });
        Assert.True(Assert.Single(resolvedInbox.Notifications).Resolved);
        var active = await Alice.Handoffs.ListActiveHandoffsAsync(new ListActiveHandoffsRequest { TenantId = Tenant });
        Assert.Empty(active.Handoffs);

        // The sender now gets both messages, once.
        var claimed = await Crm.Outreach.ClaimDueMessagesAsync(new ClaimDueMessagesRequest { TenantId = Tenant, ContactId = Contact });
        Assert.Equal(["manual-1", "si-1"], claimed.Messages.Select(m => m.MessageId).Order());
        Assert.Empty((await Crm.Outreach.ClaimDueMessagesAsync(new ClaimDueMessagesRequest { TenantId = Tenant, ContactId = Contact })).Messages);

        // 9. The audit trail tells the whole story, in order.
        var history = await Alice.Contacts.GetContactHistoryAsync(new GetContactHistoryRequest { TenantId = Tenant, ContactId = Contact, PageSize = 100 });
        var kinds = history.Entries.Select(e => e.Kind).ToList();
        Assert.Equal(
            [HistoryEntryKind.OwnerAssigned, HistoryEntryKind.CardRaised, HistoryEntryKind.OutreachPaused,
             HistoryEntryKind.AutomationResumed, HistoryEntryKind.CardResolved],
            kinds);
        Assert.Equal("alice", history.Entries.Single(e => e.Kind == HistoryEntryKind.OutreachPaused).ActorUserId);
        Assert.Equal("alice", history.Entries.Single(e => e.Kind == HistoryEntryKind.AutomationResumed).ActorUserId);
        Assert.Equal("crm-sync", history.Entries.Single(e => e.Kind == HistoryEntryKind.OwnerAssigned).ActorUserId);
    }

    private static string SamplePath()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Handoff.sln")))
        {
            directory = directory.Parent;
        }

        return Path.Combine(directory?.FullName ?? throw new InvalidOperationException("Handoff.sln not found above the test output."),
            "samples", "walkthrough-events.jsonl");
    }

    private async Task<IngestEventsResponse> IngestStreamAsync(IReadOnlyList<EngagementEvent> events)
    {
        using var call = Crm.Ingest.IngestEvents();
        var request = new IngestEventsRequest { TenantId = Tenant, BatchId = "walkthrough-1" };
        request.Events.AddRange(events);
        await call.RequestStream.WriteAsync(request);
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var ack = call.ResponseStream.Current;
        Assert.Equal("walkthrough-1", ack.BatchId);
        Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None));
        return ack;
    }

    private static IngestBatchRequest Batch(string batchId, IEnumerable<EngagementEvent> events)
    {
        var request = new IngestBatchRequest { TenantId = Tenant, BatchId = batchId };
        request.Events.AddRange(events);
        return request;
    }

    private static async Task QueueAsync(HostClients caller, string id, MessageSource source, string body) =>
        await caller.Outreach.QueueMessageAsync(new QueueMessageRequest
        {
            TenantId = Tenant, ContactId = Contact, MessageId = id, Source = source, Channel = Channel.Email, Body = body,
        });

    private async Task<CheckOutreachResponse> CheckAsync(MessageSource source) =>
        await Crm.Outreach.CheckOutreachAsync(new CheckOutreachRequest { TenantId = Tenant, ContactId = Contact, Source = source });

    private async Task<IReadOnlyList<OutreachMessage>> ListMessagesAsync() =>
        (await Alice.Outreach.ListMessagesAsync(new ListMessagesRequest { TenantId = Tenant, ContactId = Contact })).Messages;
}
