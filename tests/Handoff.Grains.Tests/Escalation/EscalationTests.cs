using System.Text.Json;
using Handoff.Grains.Contacts;
using Handoff.Grains.Handoffs;
using Handoff.Grains.Notifications;
using Handoff.Grains.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Handoff.Grains.Tests.Escalation;

/// <summary>
/// A card left ACTIVE past its SLA (4 h by default) with nobody acting on it raises one HIGH PRIORITY escalation in the
/// tenant's team inbox; acting on it first cancels that. On both stores, through the escalation time the card's entry
/// gives the tenant's index, which asks the contact when it comes. The fake clock drives the grains and the reminder
/// service alike.
/// </summary>
public sealed class EscalationTests(EscalationClusters clusters) : IClassFixture<EscalationClusters>
{
    private static readonly TimeSpan Sla = TimeSpan.FromHours(4);

    public enum CardAction
    {
        ResumeAutomation,
        PauseAllOutreach,
        ResumeOutreach,
        AutoEngageOff,
        AssignOwner,
    }

    public static TheoryData<StoreKind, CardAction> Actions => new()
    {
        { StoreKind.Sqlite, CardAction.ResumeAutomation },
        { StoreKind.Sqlite, CardAction.PauseAllOutreach },
        { StoreKind.PostgreSql, CardAction.ResumeAutomation },
        { StoreKind.PostgreSql, CardAction.PauseAllOutreach },
        { StoreKind.Sqlite, CardAction.ResumeOutreach },
        { StoreKind.Sqlite, CardAction.AutoEngageOff },
        { StoreKind.Sqlite, CardAction.AssignOwner },
    };

    [Theory]
    [InlineData(StoreKind.Sqlite)]
    [InlineData(StoreKind.PostgreSql)]
    public async Task A_card_left_active_past_the_SLA_escalates_once_to_the_team_inbox(StoreKind kind)
    {
        var cluster = await clusters.GetAsync(kind);
        var tenant = Scenarios.NewTenantId();
        var owner = Scenarios.NewUserId("owner");
        var handoff = await Scenarios.RaiseHandoffAsync(cluster, cluster.Clock.GetUtcNow(), tenant, owner);
        var due = handoff.Card.CreatedAt + Sla;

        // Raising the card gave the tenant's index its escalation time, when the SLA has passed, and the tenant a reminder.
        Assert.Equal(due, await cluster.EscalationTimeOf(tenant, handoff.ContactId));
        // The index registers the reminder after it has written the entry, so a read of the entry can come first.
        await Wait.UntilAsync(async () => await cluster.EscalationReminderOf(tenant) is not null, "the tenant's escalation reminder");

        // Asked before the SLA (by the contact's clock), the contact escalates nothing and says when to ask again.
        cluster.Clock.Advance(Sla - TimeSpan.FromMinutes(1));
        Assert.Equal(due, await handoff.Contact.EscalateIfDue(handoff.Card.CardId));
        Assert.Null((await handoff.Contact.Get()).Card!.EscalatedAt);
        Assert.Empty(await cluster.TeamInbox(tenant).NotificationsAbout(handoff.ContactId));
        Assert.Equal(due, await cluster.EscalationTimeOf(tenant, handoff.ContactId));

        // Past the SLA: one HIGH PRIORITY escalation in the team inbox, about this card, with its summary.
        var escalation = await cluster.EscalationAsync(tenant, handoff.ContactId);
        var notice = escalation.Notice;
        Assert.Equal((NotificationKind.Escalation, NotificationPriority.High), (notice.Kind, notice.Priority));
        Assert.Equal((handoff.Card.CardId, 1, "Brandon Lee"), (notice.CardId, notice.CardVersion, notice.ContactDisplayName));
        Assert.Equal("Handoff waiting 4 h: Brandon Lee", notice.Title);
        Assert.Equal(handoff.Card.Summary, notice.Summary);
        Assert.Equal(handoff.Card.Reasons.Select(r => r.Reason), notice.Reasons);
        Assert.False(escalation.Resolved);

        // The card shows it, still ACTIVE, and so does the audit trail (a system entry).
        var card = (await handoff.Contact.Get()).Card!;
        Assert.Equal(CardStatus.Active, card.Status);
        Assert.Equal(notice.At, card.EscalatedAt);
        Assert.True(card.EscalatedAt >= due, "escalated before the SLA had passed");
        var entry = Assert.Single(await handoff.Contact.AllHistory(), h => h.Kind == HistoryKind.Escalated);
        Assert.Equal((card.CardId, 1, "", card.EscalatedAt!.Value), (entry.CardId, entry.CardVersion, entry.ActorUserId, entry.At));
        Assert.Equal("Escalated to the team inbox: nobody acted on the card within 4 h.", entry.Detail);

        // The owner's notification stays where it was, unresolved.
        var own = Assert.Single(await cluster.Grains.UserInbox(tenant, owner).NotificationsAbout(handoff.ContactId));
        Assert.Equal((NotificationKind.Handoff, false), (own.Notice.Kind, own.Resolved));

        // Once: the index holds no time for it any more (the entry saying so is delivered after the notification, so it
        // may trail it), and a late ask, even much later, changes nothing.
        // (The clock moves on while waiting: a delivery in flight when the test moved it a minute timed out on it, and
        // the contact tries again after a delay on the same clock.)
        await Wait.UntilAsync(async () => await cluster.EscalationTimeOf(tenant, handoff.ContactId) is null, "the escalation time's removal",
            eachRound: () => cluster.Clock.Advance(TimeSpan.FromMinutes(1)));
        Assert.Null(await handoff.Contact.EscalateIfDue(card.CardId));
        cluster.Clock.Advance(Sla);
        Assert.Null(await handoff.Contact.EscalateIfDue(card.CardId));
        Assert.Single(await cluster.TeamInbox(tenant).NotificationsAbout(handoff.ContactId));
        Assert.Single(await handoff.Contact.AllHistory(), h => h.Kind == HistoryKind.Escalated);
        Assert.Equal(JsonSerializer.Serialize(card), JsonSerializer.Serialize((await handoff.Contact.Get()).Card));

        // With nothing left to escalate, the tenant's reminder goes at its next tick. (This wait timed out once in a
        // fresh-clone CI run on PostgreSQL and has not been reproduced; a timeout says what was still stored, and when.)
        ReminderEntry? left = null;
        await Wait.UntilAsync(async () => (left = await cluster.EscalationReminderOf(tenant)) is null,
            () => $"the tenant's escalation reminder's removal (still stored: starts {left?.StartAt:O}, every {left?.Period}, " +
                $"ETag {left?.ETag}; the silo's clock at {cluster.Clock.GetUtcNow():O})",
            eachRound: () => cluster.Clock.Advance(TimeSpan.FromMinutes(1)));
    }

    [Theory]
    [MemberData(nameof(Actions))]
    public async Task Acting_on_the_card_before_the_SLA_cancels_its_escalation(StoreKind kind, CardAction action)
    {
        var cluster = await clusters.GetAsync(kind);
        var tenant = Scenarios.NewTenantId();
        var owner = Scenarios.NewUserId("owner");
        var (contactId, contact) = await RaiseAsync(cluster, tenant, owner, pausedFirst: action == CardAction.ResumeOutreach);
        var cardId = (await contact.Get()).Card!.CardId;
        // A card of another contact, raised at the same time and left alone: it shows when the SLA has passed.
        var untouched = await Scenarios.RaiseHandoffAsync(cluster, cluster.Clock.GetUtcNow(), tenant, owner, displayName: "Ada Obi");

        cluster.Clock.Advance(TimeSpan.FromHours(1));
        var actedAt = cluster.Clock.GetUtcNow();
        await (action switch
        {
            CardAction.ResumeAutomation => contact.ResumeAutomation(cardId, owner),
            CardAction.PauseAllOutreach => contact.PauseAllOutreach(cardId, owner, "calling them"),
            CardAction.ResumeOutreach => contact.ResumeOutreach(cardId, owner),
            CardAction.AutoEngageOff => contact.SetAutoEngage(false, cardId, owner),
            _ => contact.AssignOwner(Scenarios.NewUserId("bea"), cardId, owner),
        });

        // The action marked the card as attended to and took its escalation time from the index before it returned.
        Assert.Equal(actedAt, (await contact.Get()).Card!.AttendedAt);
        Assert.Null(await cluster.EscalationTimeOf(tenant, contactId));

        // The SLA passes: the card left alone escalates, the one acted on does not, not even when asked late.
        cluster.Clock.Advance(Sla - TimeSpan.FromHours(1));
        await cluster.EscalationAsync(tenant, untouched.ContactId);
        Assert.Null(await contact.EscalateIfDue(cardId));
        Assert.Empty(await cluster.TeamInbox(tenant).NotificationsAbout(contactId));
        Assert.Null((await contact.Get()).Card!.EscalatedAt);
        Assert.DoesNotContain(await contact.AllHistory(), h => h.Kind == HistoryKind.Escalated);
    }

    [Theory]
    [InlineData(StoreKind.Sqlite)]
    [InlineData(StoreKind.PostgreSql)]
    public async Task A_card_updated_to_version_2_still_escalates_once_at_the_SLA_of_its_raise(StoreKind kind)
    {
        var cluster = await clusters.GetAsync(kind);
        var tenant = Scenarios.NewTenantId();
        var handoff = await Scenarios.RaiseHandoffAsync(cluster, cluster.Clock.GetUtcNow(), tenant, Scenarios.NewUserId("owner"));

        // An hour later a new reason updates the card: version 2, same card, same due time.
        cluster.Clock.Advance(TimeSpan.FromHours(1));
        await cluster.IngestAsync(handoff.Contact, [new Events(cluster.Clock.GetUtcNow()).AsksForAPerson(TimeSpan.FromMinutes(5))]);
        var updated = (await handoff.Contact.Get()).Card!;
        Assert.Equal((handoff.Card.CardId, 2), (updated.CardId, updated.Version));
        Assert.Equal(handoff.Card.CreatedAt + Sla, await cluster.EscalationTimeOf(tenant, handoff.ContactId));

        cluster.Clock.Advance(Sla - TimeSpan.FromHours(1));
        var escalation = await cluster.EscalationAsync(tenant, handoff.ContactId);

        Assert.Equal((updated.CardId, 2, updated.Summary), (escalation.Notice.CardId, escalation.Notice.CardVersion, escalation.Notice.Summary));
        var entry = Assert.Single(await handoff.Contact.AllHistory(), h => h.Kind == HistoryKind.Escalated);
        Assert.Equal(2, entry.CardVersion);
        Assert.Null(await handoff.Contact.EscalateIfDue(updated.CardId));
        Assert.Single(await cluster.TeamInbox(tenant).NotificationsAbout(handoff.ContactId));
    }

    [Theory]
    [InlineData(StoreKind.Sqlite)]
    [InlineData(StoreKind.PostgreSql)]
    public async Task Resolving_an_escalated_card_resolves_its_escalation_too(StoreKind kind)
    {
        var cluster = await clusters.GetAsync(kind);
        var tenant = Scenarios.NewTenantId();
        var owner = Scenarios.NewUserId("owner");
        var handoff = await Scenarios.RaiseHandoffAsync(cluster, cluster.Clock.GetUtcNow(), tenant, owner);
        cluster.Clock.Advance(Sla);
        await cluster.EscalationAsync(tenant, handoff.ContactId);

        await handoff.Contact.ResumeAutomation(handoff.Card.CardId, owner);

        var escalation = Assert.Single(await cluster.TeamInbox(tenant).NotificationsAbout(handoff.ContactId));
        Assert.Equal(NotificationResolution.CardResolved, escalation.Resolution);
        var own = Assert.Single(await cluster.Grains.UserInbox(tenant, owner).NotificationsAbout(handoff.ContactId));
        Assert.Equal(NotificationResolution.CardResolved, own.Resolution);
    }

    [Fact]
    public async Task A_contact_reminder_left_by_the_earlier_version_hands_the_escalation_to_the_index_and_goes()
    {
        var cluster = await clusters.GetAsync(StoreKind.Sqlite);
        var tenant = Scenarios.NewTenantId();
        var handoff = await Scenarios.RaiseHandoffAsync(cluster, cluster.Clock.GetUtcNow(), tenant, Scenarios.NewUserId("owner"));
        var due = handoff.Card.CreatedAt + Sla;
        // As the earlier version left a card: the contact holds a reminder of its own, the index entry no escalation time.
        var index = cluster.Grains.HandoffIndex(tenant);
        var entry = (await index.List(OwnerFilter.All, "", 0, 10)).Handoffs.Single(h => h.ContactId == handoff.ContactId);
        await index.Upsert(entry with { EscalatesAt = null });
        var reminders = cluster.SiloServices.GetRequiredService<IReminderTable>();
        const string earlierReminder = "escalation";
        await reminders.UpsertRow(new ReminderEntry
        {
            GrainId = handoff.Contact.GetGrainId(),
            ReminderName = earlierReminder,
            StartAt = due.UtcDateTime,
            Period = TimeSpan.FromMinutes(1),
        });

        await handoff.Contact.AsReference<IRemindable>().ReceiveReminder(earlierReminder, default);

        Assert.Equal(due, await cluster.EscalationTimeOf(tenant, handoff.ContactId));
        Assert.Null(await reminders.ReadRow(handoff.Contact.GetGrainId(), earlierReminder));
        cluster.Clock.Advance(Sla);
        Assert.Equal(handoff.Card.CardId, (await cluster.EscalationAsync(tenant, handoff.ContactId)).Notice.CardId);
    }

    /// <summary>A WIN contact whose card is ACTIVE; with <paramref name="pausedFirst"/>, outreach was paused before the card came.</summary>
    private static async Task<(string ContactId, IContactGrain Contact)> RaiseAsync(HandoffTestCluster cluster, string tenant, string owner, bool pausedFirst)
    {
        if (!pausedFirst)
        {
            var raised = await Scenarios.RaiseHandoffAsync(cluster, cluster.Clock.GetUtcNow(), tenant, owner);
            return (raised.ContactId, raised.Contact);
        }

        var contactId = $"c-{Guid.NewGuid():N}";
        var contact = await Scenarios.CreateWinContactAsync(cluster.Grains, tenant, contactId, owner);
        await contact.PauseAllOutreach("", owner, "");
        await cluster.IngestAsync(contact, new Events(cluster.Clock.GetUtcNow()).RisingBuyer());
        var card = (await contact.Get()).Card;
        Assert.True(card?.ToDomain() is { IsActive: true, AttendedAt: null }, "the rising buyer should have raised a card nobody has acted on");
        return (contactId, contact);
    }
}
