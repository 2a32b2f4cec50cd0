using Handoff.Domain.Model;
using Handoff.Grains.Contacts;
using Handoff.Grains.Tests.Support;

namespace Handoff.Grains.Tests.Handoffs;

/// <summary>After Resume SI Automation, the reasons just resolved do not come back for 24 hours; other reasons do.</summary>
[Collection(GrainCollection.Name)]
public sealed class CooldownTests(GrainClusterFixture fixture)
{
    private const string Tenant = "acme";

    [Fact]
    public async Task The_same_reasons_within_the_cooldown_raise_no_card_and_after_it_they_do()
    {
        var handoff = await fixture.RaiseHandoffAsync(Tenant);
        await handoff.Contact.ResumeAutomation(handoff.Card.CardId, "carol");
        var inbox = fixture.Grains.UserInbox(Tenant, handoff.OwnerUserId);

        // An hour later the contact looks at the proposal twice more: buying signals and a critical moment again.
        fixture.Clock.Advance(TimeSpan.FromHours(1));
        var replay = new Events(fixture.Now);
        await fixture.IngestAsync(handoff.Contact,
        [
            replay.At(TimeSpan.FromMinutes(40), EventType.ProposalViewed, Channel.Web),
            replay.At(TimeSpan.FromMinutes(20), EventType.PageViewed, Channel.Web, pricingPage: true),
            replay.At(TimeSpan.FromMinutes(10), EventType.ProposalViewed, Channel.Web),
        ]);

        var snapshot = await handoff.Contact.Get();
        Assert.Equal(handoff.Card.CardId, snapshot.Card!.CardId);
        Assert.Equal(CardStatus.Resolved, snapshot.Card.Status);
        Assert.Equal(Recommendation.ContinueAutomation, snapshot.Engagement.Recommendation);
        Assert.True(snapshot.Engagement is { Score: >= 70, Trend: Trend.Rising }, "buying signals hold: only the cooldown keeps the card away");
        Assert.True((await handoff.Contact.CheckOutreach(MessageSource.Si)).Allowed);
        Assert.Single(await inbox.NotificationsAbout(handoff.ContactId));

        fixture.Clock.Advance(TimeSpan.FromHours(22));
        await fixture.IngestAsync(handoff.Contact, [new Events(fixture.Now).At(TimeSpan.Zero, EventType.ProposalViewed, Channel.Web)]);
        Assert.Equal(handoff.Card.CardId, (await handoff.Contact.Get()).Card!.CardId);

        fixture.Clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(1));
        await fixture.IngestAsync(handoff.Contact, new Events(fixture.Now).RisingBuyer());

        var raised = (await handoff.Contact.Get()).Card!;
        Assert.NotEqual(handoff.Card.CardId, raised.CardId);
        Assert.Equal(CardStatus.Active, raised.Status);
        Assert.Equal(1, raised.Version);
        var notifications = await inbox.NotificationsAbout(handoff.ContactId);
        Assert.Equal(2, notifications.Count);
        Assert.True(notifications[0].Resolved);
        Assert.Equal(raised.CardId, notifications[1].Notice.CardId);
        Assert.False(notifications[1].Resolved);
        Assert.Equal(2, (await handoff.Contact.AllHistory()).Count(h => h.Kind == HistoryKind.CardRaised));
    }

    [Fact]
    public async Task A_different_reason_within_the_cooldown_raises_a_new_card()
    {
        var handoff = await fixture.RaiseHandoffAsync(Tenant);
        await handoff.Contact.ResumeAutomation(handoff.Card.CardId, "carol");
        fixture.Clock.Advance(TimeSpan.FromHours(1));

        await fixture.IngestAsync(handoff.Contact, [new Events(fixture.Now).AsksForAPerson(TimeSpan.FromMinutes(5))]);

        var card = (await handoff.Contact.Get()).Card!;
        Assert.NotEqual(handoff.Card.CardId, card.CardId);
        Assert.Equal(CardStatus.Active, card.Status);
        Assert.Contains(card.Reasons, r => r.Reason == HandoffReason.NeedsHumanJudgement);
        var notifications = await fixture.Grains.UserInbox(Tenant, handoff.OwnerUserId).NotificationsAbout(handoff.ContactId);
        Assert.Equal([handoff.Card.CardId, card.CardId], notifications.Select(n => n.Notice.CardId));
        Assert.Equal(DenialReason.HandoffActive, (await handoff.Contact.CheckOutreach(MessageSource.Si)).DenialReason);
    }
}
