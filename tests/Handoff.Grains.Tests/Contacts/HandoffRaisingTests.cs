using Handoff.Domain.Model;
using Handoff.Grains.Contacts;
using Handoff.Grains.Notifications;
using Handoff.Grains.Tests.Support;

namespace Handoff.Grains.Tests.Contacts;

[Collection(GrainCollection.Name)]
public sealed class HandoffRaisingTests(GrainClusterFixture fixture)
{
    private const string Tenant = "acme";

    [Fact]
    public async Task Rising_buyer_in_win_gets_one_card_and_one_high_priority_notification_for_the_owner()
    {
        var contactId = fixture.NewContactId();
        var contact = fixture.Grains.Contact(Tenant, contactId);
        await contact.Upsert(new ProfileUpdate { DisplayName = "Brandon Lee", OwnerUserId = "alice", Stage = LifecycleStage.Sql, Phase = PipelinePhase.Win });

        var outcome = await fixture.IngestAsync(contact, new Events(fixture.Now).RisingBuyer());

        Assert.Equal(new IngestOutcome(10, 0), outcome);
        var snapshot = await contact.Get();
        var card = Assert.IsType<CardState>(snapshot.Card);
        Assert.Equal(CardStatus.Active, card.Status);
        Assert.Equal(1, card.Version);
        Assert.Contains(card.Reasons, r => r.Reason == HandoffReason.BuyingSignals);
        Assert.Contains(card.Reasons, r => r.Reason == HandoffReason.CriticalMoment);
        Assert.All(card.Reasons, r => Assert.NotEmpty(r.Evidence));
        Assert.Contains("Brandon", card.Summary);
        Assert.Equal(Recommendation.HumanHandoff, snapshot.Engagement.Recommendation);
        Assert.True(snapshot.Engagement.Score >= 70, $"score {snapshot.Engagement.Score}");

        var inbox = await fixture.Grains.Inbox(Tenant, new InboxAddress(InboxKind.User, "alice")).List(0, 50, unreadOnly: false);
        var notification = Assert.Single(inbox.Notifications, n => n.Notice.ContactId == contactId);
        Assert.Equal(NotificationPriority.High, notification.Notice.Priority);
        Assert.Equal(card.CardId, notification.Notice.CardId);
        Assert.False(notification.Resolved);
    }
}
