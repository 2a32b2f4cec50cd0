using Handoff.Domain.Model;
using Handoff.Grains.Contacts;
using Handoff.Grains.Journal;
using Handoff.Grains.Notifications;
using Handoff.Grains.Tests.Escalation;
using Handoff.Grains.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Handoff.Grains.Tests.Storage;

/// <summary>
/// What a contact derives from ingested events is dated by the event journal, not by the clock of the activation that
/// applies them: a contact rebuilt from the journal after a crash, hours later, is the contact it was, field by field
/// and time by time. On both stores: PostgreSQL keeps times to the microsecond, and the clock is stepped so that it
/// stands between two microseconds, where a time taken from the clock and the one read back from the journal differ.
/// </summary>
public sealed class ReplayTimesTests
{
    /// <summary>How long the silo stays down: far past the checkpoint interval and the replay margin, short of the SLA.</summary>
    private static readonly TimeSpan Downtime = TimeSpan.FromHours(3);

    /// <summary>A step of the clock between two batches that leaves it between two microseconds.</summary>
    private static readonly TimeSpan BetweenBatches = TimeSpan.FromTicks(1_234_567);

    private static readonly TimeSpan EscalationSla = TimeSpan.FromHours(4);

    /// <summary>
    /// No checkpoint before the crash, however slowly the test runs: what the contact applied is in memory and in the
    /// journal only, as after any crash within a checkpoint interval.
    /// </summary>
    private static readonly Dictionary<string, string> NoCheckpoint = new() { ["Handoff:Contacts:CheckpointInterval"] = "1.00:00:00" };

    [Theory]
    [InlineData(StoreKind.Sqlite)]
    [InlineData(StoreKind.PostgreSql)]
    public async Task An_unsubscribe_replayed_after_a_crash_leaves_the_contact_and_its_history_as_they_were(StoreKind kind) =>
        await AssertTheSameAfterACrashAsync(kind, async (cluster, tenant, contactId) =>
        {
            var events = new Events(cluster.Clock.GetUtcNow());
            await IngestAsync(cluster, tenant, contactId, [events.At(TimeSpan.FromHours(5), EventType.EmailOpened, Channel.Email)]);
            await IngestAsync(cluster, tenant, contactId, [events.Unsubscribe(TimeSpan.FromHours(1))]);

            var before = await ReadAsync(cluster, tenant, contactId);
            Assert.True(before.Contact.Unsubscribed);
            Assert.Contains(before.History, h => h.Kind == HistoryKind.Unsubscribed);
            Assert.False((await cluster.StoredContactStateAsync(tenant, contactId)).RecordExists);
        });

    [Theory]
    [InlineData(StoreKind.Sqlite)]
    [InlineData(StoreKind.PostgreSql)]
    public async Task A_contact_with_a_card_replayed_after_a_crash_keeps_its_card_notification_and_escalation_times(StoreKind kind) =>
        await AssertTheSameAfterACrashAsync(kind, async (cluster, tenant, contactId) =>
        {
            var owner = Scenarios.NewUserId("owner");
            var events = new Events(cluster.Clock.GetUtcNow());
            await IngestAsync(cluster, tenant, contactId, WinContactOwnedBy(events, owner));
            // Raises the card, whose write (with everything before it) starts as the call returns ...
            await IngestAsync(cluster, tenant, contactId, events.RisingBuyer());
            var raised = await Wait.ForAsync(async () => (await cluster.StoredContactStateAsync(tenant, contactId)).State?.Card,
                "the raised card's write");
            // ... and what comes after it lives in memory and in the journal only.
            await IngestAsync(cluster, tenant, contactId, [events.At(TimeSpan.FromMinutes(30), EventType.EmailOpened, Channel.Email)]);

            var before = await ReadAsync(cluster, tenant, contactId);
            Assert.True(before.Contact.Card?.ToDomain() is { IsActive: true }, "the rising buyer should have raised a card");
            Assert.Equal(raised.CardId, before.Contact.Card.CardId);
            Assert.Single(before.Notifications);
            Assert.NotNull(before.EscalationDueAt);
            Assert.NotEqual(before.Contact.UpdatedAt, (await StoredAsync(cluster, tenant, contactId)).UpdatedAt);
        });

    [Theory]
    [InlineData(StoreKind.Sqlite)]
    [InlineData(StoreKind.PostgreSql)]
    public async Task An_owner_change_by_event_replayed_after_a_crash_leaves_the_contact_and_its_history_as_they_were(StoreKind kind) =>
        await AssertTheSameAfterACrashAsync(kind, async (cluster, tenant, contactId) =>
        {
            // The CRM's upsert is stored at once: the replay starts from that checkpoint, not from nothing.
            await Scenarios.CreateWinContactAsync(cluster.Grains, tenant, contactId, owner: "first-owner");
            // The pipeline reports a newer owner a while later (an owner change older than the upsert's would not count).
            cluster.Clock.Advance(TimeSpan.FromMinutes(2));
            var events = new Events(cluster.Clock.GetUtcNow());
            await IngestAsync(cluster, tenant, contactId,
                [events.At(TimeSpan.FromHours(2), EventType.EmailOpened, Channel.Email), events.OwnerChanged(TimeSpan.FromMinutes(1), "second-owner")]);

            var before = await ReadAsync(cluster, tenant, contactId);
            Assert.Equal("second-owner", before.Contact.OwnerUserId);
            Assert.Contains(before.History, h => h.Kind == HistoryKind.OwnerAssigned && h.Detail.Contains("second-owner", StringComparison.Ordinal));
            Assert.Equal("first-owner", (await StoredAsync(cluster, tenant, contactId)).OwnerUserId);
        });

    [Theory]
    [InlineData(StoreKind.Sqlite)]
    [InlineData(StoreKind.PostgreSql)]
    public async Task A_card_first_raised_by_a_replay_is_dated_by_the_journal_and_escalates_from_then(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        var cluster = await HandoffTestCluster.StartAsync(store, settings: NoCheckpoint);
        var (tenant, contactId, owner) = (Scenarios.NewTenantId(), NewContactId(), Scenarios.NewUserId("owner"));
        DateTimeOffset appendedAt;
        try
        {
            cluster.Clock.Advance(BetweenBatches);
            appendedAt = JournalClock.Now(cluster.Clock);
            var events = new Events(cluster.Clock.GetUtcNow());
            // Journaled as the ingest pipeline journals a batch, and the silo dies before the contact applies it.
            var journal = cluster.SiloServices.GetRequiredService<IEventJournal>();
            var batch = WinContactOwnedBy(events, owner).Concat(events.RisingBuyer()).Select(e => new JournalEntry(contactId, e)).ToList();
            Assert.All(await journal.AppendAsync(tenant, batch, appendedAt), holder => Assert.Null(holder));
        }
        finally
        {
            await cluster.CrashAsync();
        }

        cluster = await StartLaterAsync(cluster);
        try
        {
            var contact = cluster.Grains.Contact(tenant, contactId);
            var snapshot = await contact.Get();
            var card = snapshot.Card;
            Assert.NotNull(card);
            Assert.True(card.ToDomain().IsActive, "the replayed rising buyer should have raised a card");
            Assert.Equal((appendedAt, appendedAt), (snapshot.CreatedAt, snapshot.UpdatedAt));
            Assert.Equal((appendedAt, appendedAt), (card.CreatedAt, card.UpdatedAt));
            Assert.All(card.Reasons, r => Assert.Equal(appendedAt, r.DetectedAt));
            Assert.All(await contact.AllHistory(), h => Assert.Equal(appendedAt, h.At));

            var notification = await Wait.ForAsync(
                async () => (await cluster.Grains.UserInbox(tenant, owner).NotificationsAbout(contactId)).SingleOrDefault(),
                "the replayed card's notification in the owner's inbox");
            Assert.Equal(appendedAt, notification.Notice.At);
            await Wait.UntilAsync(async () => await cluster.EscalationTimeOf(tenant, contactId) == appendedAt + EscalationSla,
                "the replayed card's escalation time in the tenant's index");
        }
        finally
        {
            await cluster.StopAsync();
        }
    }

    [Fact]
    public async Task A_card_derived_by_a_replay_has_the_id_the_card_had_when_raised_live()
    {
        // The same events of the same contact: ingested live on one store, only journaled before a crash on another.
        var (tenant, contactId, owner) = (Scenarios.NewTenantId(), NewContactId(), Scenarios.NewUserId("owner"));
        string liveCardId;
        await using (var liveStore = await TestStore.CreateAsync(StoreKind.Sqlite))
        {
            var live = await HandoffTestCluster.StartAsync(liveStore);
            try
            {
                var contact = live.Grains.Contact(tenant, contactId);
                var events = new Events(live.Clock.GetUtcNow());
                await live.IngestAsync(contact, [.. WinContactOwnedBy(events, owner), .. events.RisingBuyer()]);
                liveCardId = Assert.IsType<CardState>((await contact.Get()).Card).CardId;
            }
            finally
            {
                await live.StopAsync();
            }
        }

        await using var store = await TestStore.CreateAsync(StoreKind.Sqlite);
        var cluster = await HandoffTestCluster.StartAsync(store, settings: NoCheckpoint);
        try
        {
            var events = new Events(cluster.Clock.GetUtcNow());
            var journal = cluster.SiloServices.GetRequiredService<IEventJournal>();
            var batch = WinContactOwnedBy(events, owner).Concat(events.RisingBuyer()).Select(e => new JournalEntry(contactId, e)).ToList();
            Assert.All(await journal.AppendAsync(tenant, batch, JournalClock.Now(cluster.Clock)), holder => Assert.Null(holder));
        }
        finally
        {
            await cluster.CrashAsync();
        }

        cluster = await StartLaterAsync(cluster);
        try
        {
            var replayed = Assert.IsType<CardState>((await cluster.Grains.Contact(tenant, contactId).Get()).Card);
            Assert.Equal(liveCardId, replayed.CardId);
        }
        finally
        {
            await cluster.StopAsync();
        }
    }

    [Theory]
    [InlineData(StoreKind.Sqlite)]
    [InlineData(StoreKind.PostgreSql)]
    public async Task An_event_an_earlier_try_journaled_is_applied_as_of_that_try_when_it_comes_again(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        var cluster = await HandoffTestCluster.StartAsync(store, settings: NoCheckpoint);
        var (tenant, contactId) = (Scenarios.NewTenantId(), NewContactId());
        ContactRecord before;
        try
        {
            var events = new Events(cluster.Clock.GetUtcNow());
            await IngestAsync(cluster, tenant, contactId, [events.At(TimeSpan.FromHours(5), EventType.EmailOpened, Channel.Email)]);
            // The first try journaled the unsubscribe, and its silo died before telling the contact, which lives on.
            var unsubscribe = events.Unsubscribe(TimeSpan.FromHours(1));
            cluster.Clock.Advance(BetweenBatches);
            var firstTry = JournalClock.Now(cluster.Clock);
            var journal = cluster.SiloServices.GetRequiredService<IEventJournal>();
            Assert.Equal([null], await journal.AppendAsync(tenant, [new JournalEntry(contactId, unsubscribe)], firstTry));

            cluster.Clock.Advance(TimeSpan.FromSeconds(30));
            Assert.Equal(new IngestOutcome(0, 1), await cluster.IngestAsync(cluster.Grains.Contact(tenant, contactId), [unsubscribe]));

            before = await ReadAsync(cluster, tenant, contactId);
            Assert.Equal(firstTry, before.Contact.UpdatedAt);
            Assert.Equal(firstTry, Assert.Single(before.History, h => h.Kind == HistoryKind.Unsubscribed).At);
        }
        finally
        {
            await cluster.CrashAsync();
        }

        cluster = await StartLaterAsync(cluster);
        try
        {
            AssertSame(before, await ReadAsync(cluster, tenant, contactId));
        }
        finally
        {
            await cluster.StopAsync();
        }
    }

    /// <summary>Everything a person can read of the contact: the sidebar with its card, the audit trail, the card's notifications and its escalation due time.</summary>
    private sealed record ContactRecord(
        ContactSnapshot Contact, IReadOnlyList<HistoryRecord> History, IReadOnlyList<NotificationRecord> Notifications, DateTimeOffset? EscalationDueAt);

    /// <summary>
    /// Runs <paramref name="scenario"/> on a silo that writes no checkpoint, crashes it, starts another on the same store
    /// <see cref="Downtime"/> later, and asserts the contact reads exactly as it did before the crash.
    /// </summary>
    private static async Task AssertTheSameAfterACrashAsync(StoreKind kind, Func<HandoffTestCluster, string, string, Task> scenario)
    {
        await using var store = await TestStore.CreateAsync(kind);
        var cluster = await HandoffTestCluster.StartAsync(store, settings: NoCheckpoint);
        var (tenant, contactId) = (Scenarios.NewTenantId(), NewContactId());
        ContactRecord before;
        try
        {
            await scenario(cluster, tenant, contactId);
            before = await ReadAsync(cluster, tenant, contactId);
        }
        finally
        {
            await cluster.CrashAsync();
        }

        cluster = await StartLaterAsync(cluster);
        try
        {
            AssertSame(before, await ReadAsync(cluster, tenant, contactId));
        }
        finally
        {
            await cluster.StopAsync();
        }
    }

    private static string NewContactId() => $"c-{Guid.NewGuid():N}";

    /// <summary>Facts of the pipeline that make a contact an SQL in the WIN phase owned by <paramref name="owner"/>.</summary>
    private static IReadOnlyList<EngagementEvent> WinContactOwnedBy(Events events, string owner) =>
    [
        events.OwnerChanged(TimeSpan.FromHours(48), owner),
        events.At(TimeSpan.FromHours(47), EventType.StageChanged, stage: LifecycleStage.Sql),
        events.At(TimeSpan.FromHours(47), EventType.PhaseChanged, phase: PipelinePhase.Win),
    ];

    /// <summary>One batch through the contact's own live path (journal, then apply), a step of the clock after the last.</summary>
    private static async Task IngestAsync(HandoffTestCluster cluster, string tenant, string contactId, IReadOnlyList<EngagementEvent> batch)
    {
        cluster.Clock.Advance(BetweenBatches);
        Assert.Equal(new IngestOutcome(batch.Count, 0), await cluster.IngestAsync(cluster.Grains.Contact(tenant, contactId), batch));
    }

    /// <summary>The clock moves on while the crashed silo is down; a new silo starts on the same store.</summary>
    private static Task<HandoffTestCluster> StartLaterAsync(HandoffTestCluster crashed)
    {
        crashed.Clock.Advance(Downtime);
        return crashed.StartAgainAsync();
    }

    /// <summary>The contact's state as last written (a checkpoint, a card transition's write, an action or a profile change).</summary>
    private static async Task<ContactState> StoredAsync(HandoffTestCluster cluster, string tenant, string contactId)
    {
        var stored = await cluster.StoredContactStateAsync(tenant, contactId);
        Assert.True(stored.RecordExists, "the contact's state should have been written");
        Assert.NotNull(stored.State);
        return stored.State;
    }

    private static async Task<ContactRecord> ReadAsync(HandoffTestCluster cluster, string tenant, string contactId)
    {
        var contact = cluster.Grains.Contact(tenant, contactId);
        var snapshot = await contact.Get();
        var notifications = snapshot.Card is null
            ? []
            : await cluster.Grains.Inbox(tenant, InboxAddress.ForOwner(snapshot.OwnerUserId)).NotificationsAbout(contactId);
        return new ContactRecord(snapshot, await contact.AllHistory(), notifications, await cluster.EscalationTimeOf(tenant, contactId));
    }

    private static void AssertSame(ContactRecord before, ContactRecord after)
    {
        Assert.Equivalent(WithoutReadTimeAssessment(before.Contact), WithoutReadTimeAssessment(after.Contact), strict: true);
        Assert.Equivalent(before.History, after.History, strict: true);
        Assert.Equivalent(before.Notifications, after.Notifications, strict: true);
        Assert.Equal(before.EscalationDueAt, after.EscalationDueAt);
    }

    /// <summary>
    /// The sidebar without the score, trend and sentiment, which are assessed at the moment of reading (they decay with
    /// time) and so differ hours later whatever the replay did; everything else is compared.
    /// </summary>
    private static ContactSnapshot WithoutReadTimeAssessment(ContactSnapshot snapshot) => snapshot with
    {
        Engagement = snapshot.Engagement with
        {
            Score = 0,
            Trend = Trend.Steady,
            TrendDelta = 0,
            Sentiment = Sentiment.Unknown,
        },
    };
}
