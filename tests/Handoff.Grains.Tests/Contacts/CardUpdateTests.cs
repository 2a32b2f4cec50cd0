using Handoff.Domain.Model;
using Handoff.Grains.Contacts;
using Handoff.Grains.Tests.Support;

namespace Handoff.Grains.Tests.Contacts;

[Collection(GrainCollection.Name)]
public sealed class CardUpdateTests(GrainClusterFixture fixture)
{
    private const string Tenant = "acme";

    [Fact]
    public async Task A_new_reason_while_the_card_is_active_updates_that_card_and_its_one_notification()
    {
        var handoff = await fixture.RaiseHandoffAsync(Tenant);
        Assert.DoesNotContain(handoff.Card.Reasons, r => r.Reason == HandoffReason.NeedsHumanJudgement);

        await fixture.IngestAsync(handoff.Contact, [handoff.Events.AsksForAPerson(TimeSpan.FromMinutes(30))]);

        var card = (await handoff.Contact.Get()).Card!;
        Assert.Equal(handoff.Card.CardId, card.CardId);
        Assert.Equal(CardStatus.Active, card.Status);
        Assert.Equal(2, card.Version);
        Assert.Equal(
            [HandoffReason.BuyingSignals, HandoffReason.NeedsHumanJudgement, HandoffReason.CriticalMoment],
            card.Reasons.Select(r => r.Reason).Order());
        Assert.Contains(card.Reasons.Single(r => r.Reason == HandoffReason.NeedsHumanJudgement).Evidence, e => e.Contains("person"));

        var notification = Assert.Single(await fixture.Grains.UserInbox(Tenant, handoff.OwnerUserId).NotificationsAbout(handoff.ContactId));
        Assert.Equal(card.CardId, notification.Notice.CardId);
        Assert.Equal(2, notification.Notice.CardVersion);
        Assert.Contains(HandoffReason.NeedsHumanJudgement, notification.Notice.Reasons);
        Assert.False(notification.Resolved);

        var history = await handoff.Contact.AllHistory();
        Assert.Single(history, h => h.Kind == HistoryKind.CardRaised);
        var updated = Assert.Single(history, h => h.Kind == HistoryKind.CardUpdated);
        Assert.Equal(2, updated.CardVersion);
    }

    [Fact]
    public async Task More_events_of_reasons_already_on_the_card_do_not_bump_its_version()
    {
        var handoff = await fixture.RaiseHandoffAsync(Tenant);
        await fixture.IngestAsync(handoff.Contact, [handoff.Events.AsksForAPerson(TimeSpan.FromMinutes(50))]);

        var outcome = await fixture.IngestAsync(handoff.Contact,
        [
            handoff.Events.At(TimeSpan.FromMinutes(40), EventType.ProposalViewed, Channel.Web),
            handoff.Events.At(TimeSpan.FromMinutes(30), EventType.PageViewed, Channel.Web, pricingPage: true),
            handoff.Events.AsksForAPerson(TimeSpan.FromMinutes(20)),
        ]);

        Assert.Equal(new IngestOutcome(3, 0), outcome);
        var card = (await handoff.Contact.Get()).Card!;
        Assert.Equal(handoff.Card.CardId, card.CardId);
        Assert.Equal(2, card.Version);
        Assert.Equal(3, card.Reasons.Count);
        var notification = Assert.Single(await fixture.Grains.UserInbox(Tenant, handoff.OwnerUserId).NotificationsAbout(handoff.ContactId));
        Assert.Equal(2, notification.Notice.CardVersion);
        Assert.Single(await handoff.Contact.AllHistory(), h => h.Kind == HistoryKind.CardUpdated);
    }
}
