using Handoff.Domain.Model;
using Handoff.Grains.Contacts;
using Handoff.Grains.Tests.Support;

namespace Handoff.Grains.Tests.Contacts;

/// <summary>What may go out while a card is ACTIVE, and for a contact who unsubscribed.</summary>
[Collection(GrainCollection.Name)]
public sealed class SendGateTests(GrainClusterFixture fixture)
{
    private const string Tenant = "acme";

    [Fact]
    public async Task An_active_card_suspends_SI_but_lets_manual_messages_go()
    {
        var owner = Scenarios.NewUserId("owner");
        var contact = await Scenarios.CreateWinContactAsync(fixture.Grains, Tenant, fixture.NewContactId(), owner);
        var si = await contact.QueueMessage(Scenarios.Si("si-1"));
        var manual = await contact.QueueMessage(Scenarios.Manual("manual-1"));
        Assert.Equal(MessageStatus.Queued, si.Status);
        Assert.Equal(MessageStatus.Queued, manual.Status);
        Assert.True((await contact.CheckOutreach(MessageSource.Si)).Allowed);

        await fixture.IngestAsync(contact, new Events(fixture.Now).RisingBuyer());

        Assert.True((await contact.Get()).Card?.ToDomain() is { IsActive: true });
        Assert.Equal(DenialReason.HandoffActive, (await contact.CheckOutreach(MessageSource.Si)).DenialReason);
        Assert.True((await contact.CheckOutreach(MessageSource.Manual)).Allowed);
        var messages = (await contact.AllMessages()).ToDictionary(m => m.MessageId);
        Assert.Equal(MessageStatus.Held, messages["si-1"].Status);
        Assert.Equal(DenialReason.HandoffActive, messages["si-1"].HoldReason);
        Assert.Equal(MessageStatus.Queued, messages["manual-1"].Status);
        Assert.Null(messages["manual-1"].HoldReason);

        var laterSi = await contact.QueueMessage(Scenarios.Si());
        Assert.Equal(MessageStatus.Held, laterSi.Status);
        Assert.Equal(DenialReason.HandoffActive, laterSi.HoldReason);
        var claimed = await contact.ClaimDueMessages(10);
        Assert.Equal(["manual-1"], claimed.Select(m => m.MessageId));
    }

    [Fact]
    public async Task An_unsubscribed_contact_gets_no_card_and_nothing_goes_out()
    {
        var owner = Scenarios.NewUserId("owner");
        var contactId = fixture.NewContactId();
        var contact = await Scenarios.CreateWinContactAsync(fixture.Grains, Tenant, contactId, owner);
        await contact.QueueMessage(Scenarios.Si("si-1"));
        await contact.QueueMessage(Scenarios.Manual("manual-1"));
        var events = new Events(fixture.Now);

        await fixture.IngestAsync(contact, [events.Unsubscribe(TimeSpan.FromHours(45)), .. events.RisingBuyer(), events.AsksForAPerson(TimeSpan.FromHours(1))]);

        var snapshot = await contact.Get();
        Assert.True(snapshot.Unsubscribed);
        Assert.Null(snapshot.Card);
        Assert.Equal(Recommendation.ContinueAutomation, snapshot.Engagement.Recommendation);
        Assert.True(snapshot.Engagement.Score >= 70, "the signals are strong; only the unsubscribe keeps the card away");
        Assert.Equal(DenialReason.Unsubscribed, (await contact.CheckOutreach(MessageSource.Si)).DenialReason);
        Assert.Equal(DenialReason.Unsubscribed, (await contact.CheckOutreach(MessageSource.Manual)).DenialReason);
        Assert.All(await contact.AllMessages(), m =>
        {
            Assert.Equal(MessageStatus.Held, m.Status);
            Assert.Equal(DenialReason.Unsubscribed, m.HoldReason);
        });
        Assert.Equal(DenialReason.Unsubscribed, (await contact.QueueMessage(Scenarios.Manual())).HoldReason);
        Assert.Empty(await contact.ClaimDueMessages(10));
        Assert.Single(await contact.AllHistory(), h => h.Kind == HistoryKind.Unsubscribed);
        Assert.Empty(await fixture.Grains.UserInbox(Tenant, owner).NotificationsAbout(contactId));

        // Later signals of every kind still raise nothing.
        await fixture.IngestAsync(contact, [events.At(TimeSpan.Zero, EventType.ProposalViewed, Channel.Web)]);
        Assert.Null((await contact.Get()).Card);
    }

    [Fact]
    public async Task Unsubscribing_while_a_card_is_active_holds_manual_messages_too()
    {
        var handoff = await fixture.RaiseHandoffAsync(Tenant);
        await handoff.Contact.QueueMessage(Scenarios.Manual("manual-1"));

        await fixture.IngestAsync(handoff.Contact, [handoff.Events.Unsubscribe(TimeSpan.FromMinutes(1))]);

        Assert.Equal(DenialReason.Unsubscribed, (await handoff.Contact.CheckOutreach(MessageSource.Manual)).DenialReason);
        Assert.Equal(DenialReason.Unsubscribed, (await handoff.Contact.CheckOutreach(MessageSource.Si)).DenialReason);
        Assert.Equal((MessageStatus.Held, (DenialReason?)DenialReason.Unsubscribed), (await handoff.Contact.AllMessages()).Select(m => (m.Status, m.HoldReason)).Single());
        Assert.Empty(await handoff.Contact.ClaimDueMessages(10));

        // Resuming automation afterwards does not override the contact's own choice.
        await handoff.Contact.ResumeAutomation(handoff.Card.CardId, "carol");
        Assert.Equal(DenialReason.Unsubscribed, (await handoff.Contact.CheckOutreach(MessageSource.Manual)).DenialReason);
        Assert.Empty(await handoff.Contact.ClaimDueMessages(10));
    }
}
