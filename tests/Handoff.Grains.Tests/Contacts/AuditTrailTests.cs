using Handoff.Grains.Contacts;
using Handoff.Grains.Tests.Support;

namespace Handoff.Grains.Tests.Contacts;

[Collection(GrainCollection.Name)]
public sealed class AuditTrailTests(GrainClusterFixture fixture)
{
    [Fact]
    public async Task History_pages_over_every_transition_and_action_in_order_with_who_and_when()
    {
        var owner = Scenarios.NewUserId("owner");
        var raisedAt = fixture.Now;
        var handoff = await fixture.RaiseHandoffAsync("acme", owner);
        var cardId = handoff.Card.CardId;
        fixture.Clock.Advance(TimeSpan.FromMinutes(1));
        await handoff.Contact.PauseAllOutreach(cardId, "carol", "calling them");
        fixture.Clock.Advance(TimeSpan.FromMinutes(1));
        await handoff.Contact.SetAutoEngage(false, cardId, "carol");
        fixture.Clock.Advance(TimeSpan.FromMinutes(1));
        await handoff.Contact.ResumeOutreach(cardId, "dave");
        fixture.Clock.Advance(TimeSpan.FromMinutes(1));
        var resumedAt = fixture.Now;
        await handoff.Contact.ResumeAutomation(cardId, "dave");

        var pages = new List<HistoryPage>();
        var after = 0L;
        do
        {
            var page = await handoff.Contact.GetHistory(after, 2);
            pages.Add(page);
            after = page.NextAfterSequence;
        }
        while (after != 0);

        Assert.All(pages, p => Assert.InRange(p.Entries.Count, 1, 2));
        var entries = pages.SelectMany(p => p.Entries).ToList();
        Assert.Equal(Enumerable.Range(1, entries.Count).Select(i => (long)i), entries.Select(e => e.Sequence));
        Assert.Equal(
            [
                (HistoryKind.OwnerAssigned, ""),
                (HistoryKind.CardRaised, ""),
                (HistoryKind.OutreachPaused, "carol"),
                (HistoryKind.AutoEngageOff, "carol"),
                (HistoryKind.OutreachResumed, "dave"),
                (HistoryKind.AutomationResumed, "dave"),
                (HistoryKind.CardResolved, "dave"),
            ],
            entries.Select(e => (e.Kind, e.ActorUserId)));
        Assert.Equal(raisedAt, entries[1].At);
        Assert.Equal(raisedAt.AddMinutes(1), entries[2].At);
        Assert.Contains("calling them", entries[2].Detail);
        Assert.Equal(resumedAt, entries[^1].At);
        Assert.All(entries.Skip(1), e => Assert.Equal(cardId, e.CardId));
        Assert.All(entries, e => Assert.False(string.IsNullOrWhiteSpace(e.Detail)));
        Assert.True(entries.Zip(entries.Skip(1)).All(p => p.First.At <= p.Second.At));

        var tail = await handoff.Contact.GetHistory(entries[^3].Sequence, 2);
        Assert.Equal(entries[^2..].Select(e => e.Sequence), tail.Entries.Select(e => e.Sequence));
        Assert.Equal(0, tail.NextAfterSequence);
        Assert.Empty((await handoff.Contact.GetHistory(entries[^1].Sequence, 2)).Entries);
    }
}
