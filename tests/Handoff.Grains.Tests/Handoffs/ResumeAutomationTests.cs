using Handoff.Domain.Model;
using Handoff.Grains.Contacts;
using Handoff.Grains.Handoffs;
using Handoff.Grains.Notifications;
using Handoff.Grains.Tests.Support;

namespace Handoff.Grains.Tests.Handoffs;

[Collection(GrainCollection.Name)]
public sealed class ResumeAutomationTests(GrainClusterFixture fixture)
{
    [Fact]
    public async Task Resume_resolves_the_card_turns_automation_back_on_and_releases_held_messages()
    {
        var tenant = Scenarios.NewTenantId();
        var handoff = await fixture.RaiseHandoffAsync(tenant);
        var cardId = handoff.Card.CardId;
        await handoff.Contact.QueueMessage(Scenarios.Si("si-1"));
        await handoff.Contact.QueueMessage(Scenarios.Manual("manual-1"));
        await handoff.Contact.SetAutoEngage(false, cardId, "carol");
        await handoff.Contact.PauseAllOutreach(cardId, "carol", "calling them");
        Assert.Single((await fixture.Grains.HandoffIndex(tenant).List(OwnerFilter.All, "", 0, 50)).Handoffs);
        fixture.Clock.Advance(TimeSpan.FromMinutes(10));
        var resumedAt = fixture.Now;

        var snapshot = await handoff.Contact.ResumeAutomation(cardId, "carol");

        var card = snapshot.Card!;
        Assert.Equal(cardId, card.CardId);
        Assert.Equal(CardStatus.Resolved, card.Status);
        Assert.Equal(CardResolution.Resumed, card.Resolution);
        Assert.Equal("carol", card.ResolvedByUserId);
        Assert.Equal(resumedAt, card.ResolvedAt);
        Assert.Equal(
            [ActionKind.AutoEngageOff, ActionKind.PauseAllOutreach, ActionKind.ResumeAutomation],
            card.Actions.Select(a => a.Kind));
        Assert.Equal(new ActionRecord(ActionKind.ResumeAutomation, "carol", resumedAt), card.Actions[^1]);
        Assert.True(snapshot.AutoEngage);
        Assert.Null(snapshot.Pause);
        Assert.Equal(Recommendation.ContinueAutomation, snapshot.Engagement.Recommendation);
        Assert.Equal(CardStatus.Resolved, (await handoff.Contact.Get()).Card!.Status);

        Assert.All(await handoff.Contact.AllMessages(), m =>
        {
            Assert.Equal(MessageStatus.Queued, m.Status);
            Assert.Null(m.HoldReason);
        });
        Assert.True((await handoff.Contact.CheckOutreach(MessageSource.Si)).Allowed);
        Assert.True((await handoff.Contact.CheckOutreach(MessageSource.Manual)).Allowed);

        var notification = Assert.Single(await fixture.Grains.UserInbox(tenant, handoff.OwnerUserId).NotificationsAbout(handoff.ContactId));
        Assert.Equal(NotificationResolution.CardResolved, notification.Resolution);
        Assert.Equal(resumedAt, notification.ResolvedAt);
        Assert.Empty((await fixture.Grains.HandoffIndex(tenant).List(OwnerFilter.All, "", 0, 50)).Handoffs);
    }

    [Fact]
    public async Task Pressing_resume_again_changes_nothing()
    {
        var handoff = await fixture.RaiseHandoffAsync("acme");
        var first = await handoff.Contact.ResumeAutomation(handoff.Card.CardId, "carol");
        var historyAfterFirst = await handoff.Contact.AllHistory();
        fixture.Clock.Advance(TimeSpan.FromMinutes(1));

        var second = await handoff.Contact.ResumeAutomation(handoff.Card.CardId, "dave");

        Assert.Equal(first.Card!.ResolvedAt, second.Card!.ResolvedAt);
        Assert.Equal("carol", second.Card.ResolvedByUserId);
        Assert.Equal(first.Card.Actions, second.Card.Actions);
        Assert.Equal(historyAfterFirst, await handoff.Contact.AllHistory());
        Assert.Single(historyAfterFirst, h => h.Kind == HistoryKind.AutomationResumed);
        Assert.Single(historyAfterFirst, h => h.Kind == HistoryKind.CardResolved);
    }

    [Theory]
    [InlineData("not-the-card")]
    [InlineData("")]
    public async Task Resume_naming_another_card_fails_and_leaves_the_card_active(string staleCardId)
    {
        var handoff = await fixture.RaiseHandoffAsync("acme");

        var error = await Assert.ThrowsAsync<StaleCardException>(() => handoff.Contact.ResumeAutomation(staleCardId, "carol"));

        Assert.Equal(handoff.Card.CardId, error.CurrentCardId);
        var snapshot = await handoff.Contact.Get();
        Assert.Equal(CardStatus.Active, snapshot.Card!.Status);
        Assert.DoesNotContain(await handoff.Contact.AllHistory(), h => h.Kind == HistoryKind.AutomationResumed);
    }

    [Fact]
    public async Task Resume_naming_a_card_resolved_before_the_current_one_fails()
    {
        // The owner resumes, then a different reason raises a new card: a screen still showing the first card cannot act.
        var handoff = await fixture.RaiseHandoffAsync("acme");
        await handoff.Contact.ResumeAutomation(handoff.Card.CardId, "carol");
        fixture.Clock.Advance(TimeSpan.FromMinutes(10));
        await fixture.IngestAsync(handoff.Contact, [new Events(fixture.Now).AsksForAPerson(TimeSpan.FromMinutes(1))]);
        var current = (await handoff.Contact.Get()).Card!;
        Assert.NotEqual(handoff.Card.CardId, current.CardId);

        await Assert.ThrowsAsync<StaleCardException>(() => handoff.Contact.ResumeAutomation(handoff.Card.CardId, "carol"));
        await Assert.ThrowsAsync<StaleCardException>(() => handoff.Contact.PauseAllOutreach(handoff.Card.CardId, "carol", ""));
        Assert.True((await handoff.Contact.Get()).Card!.ToDomain().IsActive);
        Assert.Null((await handoff.Contact.Get()).Pause);
    }
}
