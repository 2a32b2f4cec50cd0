using System.Text.Json;
using Handoff.Domain.Model;
using Handoff.Grains.Contacts;
using Handoff.Grains.Handoffs;
using Handoff.Grains.Notifications;
using Handoff.Grains.Tests.Support;

namespace Handoff.Grains.Tests.Storage;

/// <summary>
/// Everything a contact, an inbox and the tenant index acknowledged is read back from the store by a new silo, on both
/// stores: a SQLite file and a PostgreSQL database. Runs its own cluster (not the shared one) so that it can stop it.
/// </summary>
public sealed class RestartTests
{
    private const string Tenant = "acme";

    /// <summary>Whole values compared field by field (records holding lists compare lists by reference).</summary>
    private static string Json(object value) => JsonSerializer.Serialize(value);

    /// <summary>What a user can see of the tenant, read through the grains' own API.</summary>
    private sealed record Observed(
        string ContactA, string ContactB, string ContactC,
        string MessagesA, string MessagesB,
        string HistoryA,
        string Gates,
        string Inbox, string InboxPage,
        string Index);

    private static async Task<Observed> ObserveAsync(IGrainFactory grains, string a, string b, string c, string owner)
    {
        var contactA = grains.Contact(Tenant, a);
        var contactB = grains.Contact(Tenant, b);
        var gates = new List<GateAnswer>();
        foreach (var contact in new[] { contactA, contactB })
        {
            gates.Add(await contact.CheckOutreach(MessageSource.Si));
            gates.Add(await contact.CheckOutreach(MessageSource.Manual));
        }

        var inbox = grains.UserInbox(Tenant, owner);
        return new Observed(
            Json(await contactA.Get()), Json(await contactB.Get()), Json(await grains.Contact(Tenant, c).Get()),
            Json(await contactA.AllMessages()), Json(await contactB.AllMessages()),
            Json(await contactA.AllHistory()),
            Json(gates),
            Json(await inbox.ReadLog(0, 100)), Json(await inbox.List(0, 100, unreadOnly: false)),
            Json(await grains.HandoffIndex(Tenant).List(OwnerFilter.All, "", 0, 1000)));
    }

    [Theory]
    [InlineData(StoreKind.Sqlite)]
    [InlineData(StoreKind.PostgreSql)]
    public async Task A_new_silo_reads_back_contacts_cards_controls_queues_inboxes_the_index_and_the_dedupe_memory(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        var cluster = await HandoffTestCluster.StartAsync(store);
        try
        {
            // Arrange, on the first silo.
            var grains = cluster.Grains;
            var now = cluster.Clock.GetUtcNow();
            var owner = Scenarios.NewUserId("alice");
            var a = $"c-{Guid.NewGuid():N}";
            var contactA = await Scenarios.CreateWinContactAsync(grains, Tenant, a, owner);
            await contactA.QueueMessage(Scenarios.Manual("claimed"));
            Assert.Single(await contactA.ClaimDueMessages(10));
            await contactA.QueueMessage(Scenarios.Si("si-1"));
            await contactA.QueueMessage(Scenarios.Manual("manual-later", sendAfter: now.AddHours(2)));
            var events = new Events(now);
            var batch = events.RisingBuyer();
            await cluster.IngestAsync(contactA, batch);
            await cluster.IngestAsync(contactA, [events.AsksForAPerson(TimeSpan.FromMinutes(5))]);
            var card = (await contactA.Get()).Card!;
            await contactA.PauseAllOutreach(card.CardId, owner, "calling them");
            await contactA.QueueMessage(Scenarios.Manual("manual-while-paused"));

            var b = $"c-{Guid.NewGuid():N}";
            var contactB = grains.Contact(Tenant, b);
            await contactB.Upsert(new ProfileUpdate { DisplayName = "Olu Stone", OwnerUserId = owner, Stage = LifecycleStage.Mql });
            await contactB.SetAutoEngage(false, "", owner);
            await cluster.IngestAsync(contactB, [events.At(TimeSpan.FromHours(1), EventType.EmailOpened, Channel.Email)]);
            await contactB.QueueMessage(Scenarios.Si("si-b"));

            cluster.Clock.Advance(TimeSpan.FromMinutes(1));
            var c = (await Scenarios.RaiseHandoffAsync(cluster, cluster.Clock.GetUtcNow(), Tenant, owner, displayName: "Chen Wu")).ContactId;
            var inbox = grains.UserInbox(Tenant, owner);
            Assert.Equal(1, await inbox.MarkRead([1], 0));

            var before = await ObserveAsync(grains, a, b, c, owner);

            // Act.
            cluster = await cluster.RestartAsync();
            grains = cluster.Grains;

            // Assert: the new silo shows exactly what the old one did ...
            var after = await ObserveAsync(grains, a, b, c, owner);
            Assert.Equal(before.ContactA, after.ContactA);
            Assert.Equal(before.ContactB, after.ContactB);
            Assert.Equal(before.ContactC, after.ContactC);
            Assert.Equal(before.MessagesA, after.MessagesA);
            Assert.Equal(before.MessagesB, after.MessagesB);
            Assert.Equal(before.HistoryA, after.HistoryA);
            Assert.Equal(before.Gates, after.Gates);
            Assert.Equal(before.Inbox, after.Inbox);
            Assert.Equal(before.InboxPage, after.InboxPage);
            Assert.Equal(before.Index, after.Index);

            // ... which is what was arranged (so the comparison above is not between two empty worlds).
            contactA = grains.Contact(Tenant, a);
            var snapshotA = await contactA.Get();
            Assert.Equal((card.CardId, 2, CardStatus.Active, card.Summary), (snapshotA.Card!.CardId, snapshotA.Card.Version, snapshotA.Card.Status, snapshotA.Card.Summary));
            Assert.Equal(new OutreachPauseState(owner, now, "calling them"), snapshotA.Pause);
            Assert.Equal(
                [("claimed", MessageStatus.Claimed), ("si-1", MessageStatus.Held), ("manual-later", MessageStatus.Held), ("manual-while-paused", MessageStatus.Held)],
                (await contactA.AllMessages()).Select(m => (m.MessageId, m.Status)));
            Assert.Equal(DenialReason.OutreachPaused, (await contactA.CheckOutreach(MessageSource.Manual)).DenialReason);
            var snapshotB = await grains.Contact(Tenant, b).Get();
            Assert.False(snapshotB.AutoEngage);
            Assert.Equal(DenialReason.AutoEngageOff, (await grains.Contact(Tenant, b).CheckOutreach(MessageSource.Si)).DenialReason);
            inbox = grains.UserInbox(Tenant, owner);
            Assert.Equal([(1L, true, a), (3L, false, c)], (await inbox.AllNotifications()).Select(n => (n.Sequence, n.Read, n.Notice.ContactId)));
            // Between them the update of a's card (a new reason), after them a's notification marked read.
            Assert.Equal([(1L, null), (2, NotificationChangeKind.Updated), (3, null), (4, NotificationChangeKind.Read)],
                (await inbox.ReadLog(0, 100)).Entries.Select(e => (e.Sequence, e.Change?.Kind)));
            Assert.Equal([a, c], (await grains.HandoffIndex(Tenant).List(OwnerFilter.Owner, owner, 0, 50)).Handoffs.Select(h => h.ContactId));

            // The new silo remembers which events it has seen ...
            Assert.Equal(new IngestOutcome(0, batch.Count), await cluster.IngestAsync(contactA, batch));
            Assert.Equal(snapshotA.Engagement.TotalEventCount, (await contactA.Get()).Engagement.TotalEventCount);

            // ... keeps the claimed message claimed and the pause in force ...
            Assert.Empty(await contactA.ClaimDueMessages(10));
            Assert.Equal(MessageStatus.Held, (await contactA.QueueMessage(Scenarios.Manual("after-restart"))).Status);

            // ... and numbers new entries after the old ones.
            var d = await Scenarios.RaiseHandoffAsync(cluster, cluster.Clock.GetUtcNow(), Tenant, owner, displayName: "Dee Park");
            var latest = (await inbox.ReadLog(4, 100)).Entries.Single();
            Assert.Equal((5L, d.ContactId), (latest.Sequence, latest.Notification!.Notice.ContactId));
            Assert.Equal(2, (await inbox.List(0, 10, unreadOnly: true)).UnreadCount);
        }
        finally
        {
            await cluster.DisposeAsync();
        }
    }
}
