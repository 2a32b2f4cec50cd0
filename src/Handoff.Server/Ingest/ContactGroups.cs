using Handoff.Domain.Model;
using Handoff.Grains.Journal;

namespace Handoff.Server.Ingest;

/// <summary>One contact's share of a batch: the events it applies, in the batch's order.</summary>
public readonly record struct ContactGroup(string ContactId, EngagementEvent[] Events);

/// <summary>Splits a journaled batch by contact, each contact's events in an array of their exact number.</summary>
public static class ContactGroups
{
    /// <summary>
    /// The groups of the entries the journal answered <paramref name="holders"/> for, in the order each contact first
    /// appears. An entry goes to its contact when <see cref="JournalAnswers.IsTheContacts"/>, as of its append time.
    /// </summary>
    public static IReadOnlyList<ContactGroup> Of(IReadOnlyList<JournalEntry> entries, IReadOnlyList<JournalHolder?> holders,
        DateTimeOffset appendedAt)
    {
        // Two passes: count each contact's events, then fill arrays of that size, so nothing grows or is copied.
        var slots = new Dictionary<string, int>(StringComparer.Ordinal);
        var slotOfEntry = new int[entries.Count];
        var counts = new List<int>();
        for (var i = 0; i < entries.Count; i++)
        {
            var contactId = entries[i].ContactId;
            if (!JournalAnswers.IsTheContacts(holders[i], contactId))
            {
                slotOfEntry[i] = -1;
                continue;
            }

            if (!slots.TryGetValue(contactId, out var slot))
            {
                slots[contactId] = slot = counts.Count;
                counts.Add(0);
            }

            slotOfEntry[i] = slot;
            counts[slot]++;
        }

        var groups = new ContactGroup[counts.Count];
        foreach (var (contactId, slot) in slots)
        {
            groups[slot] = new ContactGroup(contactId, new EngagementEvent[counts[slot]]);
            counts[slot] = 0;
        }

        for (var i = 0; i < entries.Count; i++)
        {
            var slot = slotOfEntry[i];
            if (slot >= 0)
            {
                groups[slot].Events[counts[slot]++] = JournalAnswers.AsJournaled(holders[i], entries[i].Event, appendedAt);
            }
        }

        return groups;
    }
}
