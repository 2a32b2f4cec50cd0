using Handoff.Domain.Model;
using Handoff.Grains.Contacts;
using Handoff.Grains.Tests.Support;

namespace Handoff.Grains.Tests.Contacts;

[Collection(GrainCollection.Name)]
public sealed class ContactNotFoundTests(GrainClusterFixture fixture)
{
    [Fact]
    public async Task A_contact_never_created_is_not_found_by_reads_and_actions_and_is_not_created_by_them()
    {
        var contactId = fixture.NewContactId();
        var contact = fixture.Grains.Contact("acme", contactId);

        var error = await Assert.ThrowsAsync<ContactNotFoundException>(() => contact.Get());
        Assert.Equal(contactId, error.ContactId);
        await Assert.ThrowsAsync<ContactNotFoundException>(() => contact.GetHistory(0, 10));
        await Assert.ThrowsAsync<ContactNotFoundException>(() => contact.QueueMessage(Scenarios.Manual()));
        await Assert.ThrowsAsync<ContactNotFoundException>(() => contact.ListMessages(0, 10));
        await Assert.ThrowsAsync<ContactNotFoundException>(() => contact.CheckOutreach(MessageSource.Manual));
        await Assert.ThrowsAsync<ContactNotFoundException>(() => contact.ClaimDueMessages(10));
        await Assert.ThrowsAsync<ContactNotFoundException>(() => contact.ResumeAutomation("card", "carol"));
        await Assert.ThrowsAsync<ContactNotFoundException>(() => contact.PauseAllOutreach("", "carol", ""));
        await Assert.ThrowsAsync<ContactNotFoundException>(() => contact.SetAutoEngage(false, "", "carol"));

        await Assert.ThrowsAsync<ContactNotFoundException>(() => contact.Get());
    }

    [Fact]
    public async Task A_first_event_creates_the_contact()
    {
        var contact = fixture.Grains.Contact("acme", fixture.NewContactId());

        await fixture.IngestAsync(contact, [new Events(fixture.Now).At(TimeSpan.FromMinutes(5), EventType.EmailOpened, Channel.Email)]);

        var snapshot = await contact.Get();
        Assert.Equal(1, snapshot.Engagement.TotalEventCount);
        Assert.Equal(fixture.Now, snapshot.CreatedAt);
        Assert.Empty(await contact.AllMessages());
    }
}
