using Handoff.Domain.Model;
using Handoff.Grains.Handoffs;
using Handoff.Grains.Tests.Support;

namespace Handoff.Grains.Tests.Handoffs;

/// <summary>The tenant's list of active handoffs, as the team's queue shows it.</summary>
[Collection(GrainCollection.Name)]
public sealed class TenantHandoffIndexTests(GrainClusterFixture fixture)
{
    private static IEnumerable<string> Ids(ActiveHandoffPage page) => page.Handoffs.Select(h => h.ContactId);

    [Fact]
    public async Task Lists_active_handoffs_oldest_first_filtered_by_owner_and_paged()
    {
        var tenant = Scenarios.NewTenantId();
        var a = Scenarios.NewUserId("a");
        var b = Scenarios.NewUserId("b");
        var first = await fixture.RaiseHandoffAsync(tenant, a, "Ann First");
        fixture.Clock.Advance(TimeSpan.FromMinutes(1));
        var second = await fixture.RaiseHandoffAsync(tenant, "", "Ben Second");
        fixture.Clock.Advance(TimeSpan.FromMinutes(1));
        var third = await fixture.RaiseHandoffAsync(tenant, a, "Cai Third");
        fixture.Clock.Advance(TimeSpan.FromMinutes(1));
        var fourth = await fixture.RaiseHandoffAsync(tenant, b, "Dee Fourth");
        var index = fixture.Grains.HandoffIndex(tenant);

        var all = await index.List(OwnerFilter.All, "", 0, 50);

        Assert.Equal([first.ContactId, second.ContactId, third.ContactId, fourth.ContactId], Ids(all));
        Assert.Equal(0, all.NextOffset);
        var entry = all.Handoffs[0];
        Assert.Equal((first.Card.CardId, 1, "Ann First", a), (entry.CardId, entry.CardVersion, entry.ContactDisplayName, entry.OwnerUserId));
        Assert.Equal(first.Card.CreatedAt, entry.CreatedAt);
        Assert.Equal(first.Card.ScoreAtRaise, entry.ScoreAtRaise);
        Assert.Equal(first.Card.Reasons.Select(r => r.Reason), entry.Reasons);

        Assert.Equal([first.ContactId, third.ContactId], Ids(await index.List(OwnerFilter.Owner, a, 0, 50)));
        Assert.Equal([fourth.ContactId], Ids(await index.List(OwnerFilter.Owner, b, 0, 50)));
        Assert.Equal([second.ContactId], Ids(await index.List(OwnerFilter.Unassigned, "", 0, 50)));
        Assert.Empty((await index.List(OwnerFilter.Owner, Scenarios.NewUserId("nobody"), 0, 50)).Handoffs);

        var page1 = await index.List(OwnerFilter.All, "", 0, 3);
        var page2 = await index.List(OwnerFilter.All, "", page1.NextOffset, 3);
        Assert.Equal([first.ContactId, second.ContactId, third.ContactId], Ids(page1));
        Assert.Equal(3, page1.NextOffset);
        Assert.Equal([fourth.ContactId], Ids(page2));
        Assert.Equal(0, page2.NextOffset);

        var exact = await index.List(OwnerFilter.Owner, a, 0, 2);
        Assert.Equal(0, exact.NextOffset);
    }

    [Fact]
    public async Task The_list_follows_card_updates_and_drops_resolved_cards()
    {
        var tenant = Scenarios.NewTenantId();
        var first = await fixture.RaiseHandoffAsync(tenant);
        fixture.Clock.Advance(TimeSpan.FromMinutes(1));
        var second = await fixture.RaiseHandoffAsync(tenant);
        var index = fixture.Grains.HandoffIndex(tenant);

        await fixture.IngestAsync(first.Contact, [first.Events.AsksForAPerson(TimeSpan.Zero)]);
        await second.Contact.ResumeAutomation(second.Card.CardId, "carol");

        var entry = Assert.Single((await index.List(OwnerFilter.All, "", 0, 50)).Handoffs);
        Assert.Equal(first.ContactId, entry.ContactId);
        Assert.Equal(2, entry.CardVersion);
        Assert.Contains(HandoffReason.NeedsHumanJudgement, entry.Reasons);
    }
}
