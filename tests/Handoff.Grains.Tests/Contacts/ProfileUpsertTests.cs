using Handoff.Domain.Model;
using Handoff.Grains.Contacts;
using Handoff.Grains.Handoffs;
using Handoff.Grains.Tests.Support;

namespace Handoff.Grains.Tests.Contacts;

[Collection(GrainCollection.Name)]
public sealed class ProfileUpsertTests(GrainClusterFixture fixture)
{
    [Fact]
    public async Task An_owner_changed_event_older_than_an_owner_set_by_upsert_does_not_undo_it()
    {
        var contact = fixture.Grains.Contact("acme", fixture.NewContactId());
        var events = new Events(fixture.Now);
        await fixture.IngestAsync(contact, [events.At(TimeSpan.FromHours(3), EventType.EmailOpened, Channel.Email)]);
        var bob = Scenarios.NewUserId("bob");

        await contact.Upsert(new ProfileUpdate { OwnerUserId = bob, ActorUserId = "manager" });
        await fixture.IngestAsync(contact, [events.OwnerChanged(TimeSpan.FromHours(1), Scenarios.NewUserId("carol"))]);

        Assert.Equal(bob, (await contact.Get()).OwnerUserId);
    }

    [Fact]
    public async Task Renaming_a_contact_with_an_active_card_renames_it_in_the_tenant_list()
    {
        var tenant = Scenarios.NewTenantId();
        var handoff = await fixture.RaiseHandoffAsync(tenant);

        await handoff.Contact.Upsert(new ProfileUpdate { DisplayName = "Brandon Lee-Smith" });

        var entry = Assert.Single((await fixture.Grains.HandoffIndex(tenant).List(OwnerFilter.All, "", 0, 10)).Handoffs);
        Assert.Equal("Brandon Lee-Smith", entry.ContactDisplayName);
    }
}
