using Handoff.Domain.Model;
using Handoff.Grains.Journal;
using Handoff.Server.Ingest;

namespace Handoff.Server.Tests.Ingest;

/// <summary>A journaled batch reaches each contact as its own events, in the batch's order, as of their append time.</summary>
public sealed class ContactGroupsTests
{
    private static readonly DateTimeOffset AppendedAt = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Each_contact_gets_its_events_in_the_order_of_the_batch_and_contacts_in_the_order_they_first_appear()
    {
        JournalEntry[] entries = [Entry("b", "e1"), Entry("a", "e2"), Entry("b", "e3"), Entry("c", "e4"), Entry("b", "e5")];

        var groups = ContactGroups.Of(entries, new JournalHolder?[entries.Length], AppendedAt);

        Assert.Equal(["b", "a", "c"], groups.Select(g => g.ContactId));
        Assert.Equal(["e1", "e3", "e5"], groups[0].Events.Select(e => e.EventId));
        Assert.Equal(["e2"], groups[1].Events.Select(e => e.EventId));
        Assert.Equal(["e4"], groups[2].Events.Select(e => e.EventId));
        Assert.All(groups.SelectMany(g => g.Events), e => Assert.Same(entries.Single(x => x.Event.EventId == e.EventId).Event, e));
    }

    [Fact]
    public void An_event_journaled_before_goes_to_its_contact_as_of_its_first_append_and_an_id_of_another_contact_to_none()
    {
        var earlier = AppendedAt.AddMinutes(-5);
        JournalEntry[] entries = [Entry("a", "resent"), Entry("a", "taken"), Entry("a", "new")];
        JournalHolder?[] holders = [new JournalHolder("a", earlier), new JournalHolder("z", earlier), null];

        var groups = ContactGroups.Of(entries, holders, AppendedAt);

        var group = Assert.Single(groups);
        Assert.Equal(["resent", "new"], group.Events.Select(e => e.EventId));
        Assert.Equal([earlier, AppendedAt], group.Events.Select(e => e.AppendedAt));
    }

    [Fact]
    public void A_batch_whose_every_id_belongs_to_another_contact_calls_no_contact()
    {
        JournalEntry[] entries = [Entry("a", "taken")];

        Assert.Empty(ContactGroups.Of(entries, [new JournalHolder("z", AppendedAt)], AppendedAt));
    }

    private static JournalEntry Entry(string contactId, string eventId) => new(contactId, new EngagementEvent
    {
        EventId = eventId,
        Type = EventType.EmailOpened,
        OccurredAt = AppendedAt.AddHours(-1),
        Channel = Channel.Email,
        AppendedAt = AppendedAt,
    });
}
