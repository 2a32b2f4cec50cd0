using Handoff.Domain.Model;
using Handoff.Grains.Contacts;
using Handoff.Grains.Tests.Support;

namespace Handoff.Grains.Tests.Handoffs;

[Collection(GrainCollection.Name)]
public sealed class PauseOutreachTests(GrainClusterFixture fixture)
{
    private const string Tenant = "acme";

    [Fact]
    public async Task Pause_all_outreach_holds_every_message_keeps_them_all_and_keeps_the_card_active()
    {
        var handoff = await fixture.RaiseHandoffAsync(Tenant);
        await handoff.Contact.QueueMessage(Scenarios.Si("si-1"));
        await handoff.Contact.QueueMessage(Scenarios.Manual("manual-1"));
        await handoff.Contact.QueueMessage(Scenarios.Manual("manual-later", sendAfter: fixture.Now.AddHours(2)));
        var before = await handoff.Contact.AllMessages();

        var snapshot = await handoff.Contact.PauseAllOutreach(handoff.Card.CardId, "carol", "calling them today");

        Assert.Equal(new OutreachPauseState("carol", fixture.Now, "calling them today"), snapshot.Pause);
        Assert.Equal(CardStatus.Active, snapshot.Card!.Status);
        Assert.Equal(handoff.Card.CardId, snapshot.Card.CardId);
        Assert.Equal(new ActionRecord(ActionKind.PauseAllOutreach, "carol", fixture.Now), snapshot.Card.Actions[^1]);
        var after = await handoff.Contact.AllMessages();
        Assert.Equal(before.Select(m => m.MessageId), after.Select(m => m.MessageId));
        Assert.All(after, m =>
        {
            Assert.Equal(MessageStatus.Held, m.Status);
            Assert.Equal(DenialReason.OutreachPaused, m.HoldReason);
        });
        Assert.Equal(DenialReason.OutreachPaused, (await handoff.Contact.CheckOutreach(MessageSource.Si)).DenialReason);
        Assert.Equal(DenialReason.OutreachPaused, (await handoff.Contact.CheckOutreach(MessageSource.Manual)).DenialReason);

        var newManual = await handoff.Contact.QueueMessage(Scenarios.Manual("manual-2"));
        var newSi = await handoff.Contact.QueueMessage(Scenarios.Si("si-2"));
        Assert.Equal((MessageStatus.Held, DenialReason.OutreachPaused), (newManual.Status, newManual.HoldReason));
        Assert.Equal((MessageStatus.Held, DenialReason.OutreachPaused), (newSi.Status, newSi.HoldReason));
        fixture.Clock.Advance(TimeSpan.FromHours(3));
        Assert.Empty(await handoff.Contact.ClaimDueMessages(10));
        Assert.Equal(5, (await handoff.Contact.AllMessages()).Count);
        Assert.False(Assert.Single(await fixture.Grains.UserInbox(Tenant, handoff.OwnerUserId).NotificationsAbout(handoff.ContactId)).Resolved);
    }

    [Fact]
    public async Task Pausing_twice_keeps_the_first_pause_and_records_it_once()
    {
        var handoff = await fixture.RaiseHandoffAsync(Tenant);
        var first = await handoff.Contact.PauseAllOutreach(handoff.Card.CardId, "carol", "first");
        fixture.Clock.Advance(TimeSpan.FromMinutes(5));

        var second = await handoff.Contact.PauseAllOutreach(handoff.Card.CardId, "dave", "second");

        Assert.Equal(first.Pause, second.Pause);
        Assert.Equal(first.Card!.Actions, second.Card!.Actions);
        Assert.Single(await handoff.Contact.AllHistory(), h => h.Kind == HistoryKind.OutreachPaused);
    }

    [Fact]
    public async Task Resume_outreach_lifts_the_pause_but_SI_stays_held_while_the_card_is_active()
    {
        var handoff = await fixture.RaiseHandoffAsync(Tenant);
        await handoff.Contact.QueueMessage(Scenarios.Si("si-1"));
        await handoff.Contact.QueueMessage(Scenarios.Manual("manual-1"));
        await handoff.Contact.PauseAllOutreach(handoff.Card.CardId, "carol", "");

        var snapshot = await handoff.Contact.ResumeOutreach(handoff.Card.CardId, "carol");

        Assert.Null(snapshot.Pause);
        Assert.Equal(CardStatus.Active, snapshot.Card!.Status);
        Assert.Equal(ActionKind.ResumeOutreach, snapshot.Card.Actions[^1].Kind);
        var messages = (await handoff.Contact.AllMessages()).ToDictionary(m => m.MessageId);
        Assert.Equal((MessageStatus.Queued, (DenialReason?)null), (messages["manual-1"].Status, messages["manual-1"].HoldReason));
        Assert.Equal((MessageStatus.Held, (DenialReason?)DenialReason.HandoffActive), (messages["si-1"].Status, messages["si-1"].HoldReason));
        Assert.True((await handoff.Contact.CheckOutreach(MessageSource.Manual)).Allowed);
        Assert.Equal(DenialReason.HandoffActive, (await handoff.Contact.CheckOutreach(MessageSource.Si)).DenialReason);

        var historyCount = (await handoff.Contact.AllHistory()).Count;
        var again = await handoff.Contact.ResumeOutreach(handoff.Card.CardId, "dave");
        Assert.Equal(snapshot.Card.Actions, again.Card!.Actions);
        Assert.Equal(historyCount, (await handoff.Contact.AllHistory()).Count);
    }

    [Fact]
    public async Task Pause_and_resume_outreach_naming_another_card_fail_and_change_nothing()
    {
        var handoff = await fixture.RaiseHandoffAsync(Tenant);

        await Assert.ThrowsAsync<StaleCardException>(() => handoff.Contact.PauseAllOutreach("stale", "carol", ""));
        Assert.Null((await handoff.Contact.Get()).Pause);
        Assert.True((await handoff.Contact.CheckOutreach(MessageSource.Manual)).Allowed);

        await handoff.Contact.PauseAllOutreach(handoff.Card.CardId, "carol", "");
        await Assert.ThrowsAsync<StaleCardException>(() => handoff.Contact.ResumeOutreach("stale", "carol"));
        await Assert.ThrowsAsync<StaleCardException>(() => handoff.Contact.ResumeOutreach("", "carol"));
        Assert.NotNull((await handoff.Contact.Get()).Pause);
    }
}
