using System.Diagnostics;
using Handoff.Protos.V1;
using Handoff.Server.Tests.Support;
using Handoff.Tests.Shared;

namespace Handoff.Server.Tests.Summaries;

/// <summary>
/// The language model is off the ingest path (issue #15, item 4): a card is raised and acknowledged with the
/// deterministic summary at once; the model's summary arrives later, and replaces it on the card, in the audit trail
/// and on an open watch.
/// </summary>
public sealed class BackgroundSummaryTests
{
    private static readonly TimeSpan ModelDelay = TimeSpan.FromSeconds(10);

    /// <summary>Every word of it is in the rising buyer's fact sheet (SQL, WIN, the proposal viewed twice, an appointment booked).</summary>
    private const string ModelSummary =
        "Brandon should hear from a person now because of strong buying signals and a moment that could decide the deal. "
        + "Brandon viewed the proposal twice and booked an appointment. "
        + "Brandon is an SQL in the WIN phase.";

    [Fact]
    public async Task An_ingest_batch_is_acknowledged_without_waiting_for_a_model_that_takes_10_seconds()
    {
        await using var model = await FakeChatEndpoint.StartAsync(FakeChatEndpoint.AnsweringAfter(ModelDelay, ModelSummary));
        await using var host = await ServerHost.StartAsync(null,
            "Handoff:Summary:LanguageModel:Enabled=true",
            $"Handoff:Summary:LanguageModel:Endpoint={model.BaseUrl}",
            "Handoff:Summary:LanguageModel:Model=test-model",
            "Handoff:Summary:LanguageModel:Timeout=00:00:30");
        var tenant = new TestTenant(host);
        await tenant.UpsertContactAsync("c-1", owner: "alice", displayName: "Brandon Lee");
        using var watch = host.Notifications.WatchNotifications(new WatchNotificationsRequest { TenantId = tenant.Id, Inbox = TestTenant.UserInbox("alice") });
        var events = new ProtoEvents("c-1").RisingBuyer();

        var clock = Stopwatch.StartNew();
        var ack = await tenant.IngestAsync(events);
        var acknowledgedAfter = clock.Elapsed;

        Assert.Equal(events.Count, ack.AcceptedCount);
        Assert.True(acknowledgedAfter < ModelDelay / 2, $"The batch was acknowledged after {acknowledgedAfter.TotalSeconds:0.0} s.");
        var raised = await host.Handoffs.GetHandoffCardAsync(new GetHandoffCardRequest { TenantId = tenant.Id, ContactId = "c-1" });
        Assert.Equal((1, SummaryWriter.Deterministic), (raised.Card.Version, raised.Card.SummaryWriter));
        Assert.StartsWith("Brandon", raised.Card.Summary, StringComparison.Ordinal);
        Assert.Equal("Brandon Lee", raised.FactSheet.DisplayName);
        Assert.Contains(raised.FactSheet.Events, e => e.Kind == EventType.ProposalViewed && e.Count == 2);
        var (notice, _) = await watch.ResponseStream.NextNotificationAsync();
        Assert.Equal(raised.Card.Summary, notice.Summary);
        await model.FirstRequest.WaitAsync(Wait.Patience);

        var replaced = await Wait.ForAsync(
            async () =>
            {
                var card = (await host.Handoffs.GetHandoffCardAsync(new GetHandoffCardRequest { TenantId = tenant.Id, ContactId = "c-1" })).Card;
                return card.SummaryWriter == SummaryWriter.LanguageModel ? card : null;
            },
            "the model's summary on the card",
            ModelDelay * 3);

        Assert.Equal((raised.Card.CardId, 2, ModelSummary), (replaced.CardId, replaced.Version, replaced.Summary));
        Assert.True(replaced.SummaryWriteTime.ToDateTimeOffset() >= raised.Card.SummaryWriteTime.ToDateTimeOffset() + ModelDelay);
        var (update, _) = await watch.ResponseStream.NextChangeAsync(NotificationChangeKind.Updated);
        Assert.Equal((ModelSummary, 2), (update.Notification.Summary, update.Notification.CardVersion));
        var history = await host.Contacts.GetContactHistoryAsync(new GetContactHistoryRequest { TenantId = tenant.Id, ContactId = "c-1" });
        var entry = Assert.Single(history.Entries, e => e.Kind == HistoryEntryKind.SummaryReplaced);
        Assert.Equal((raised.Card.CardId, 2), (entry.CardId, entry.CardVersion));
    }
}
