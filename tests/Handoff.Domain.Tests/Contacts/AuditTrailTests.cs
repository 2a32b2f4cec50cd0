using Handoff.Domain.Contacts;

namespace Handoff.Domain.Tests.Contacts;

public sealed class AuditTrailTests
{
    private sealed record Entry(long Sequence, string What);

    private static AuditTrail<Entry> Trail(List<Entry> entries, long lastSequence = 0, int maxEntries = 100) =>
        new(entries, e => e.Sequence, lastSequence, maxEntries);

    [Fact]
    public void Numbers_entries_one_after_the_other_from_the_last_number()
    {
        var entries = new List<Entry> { new(7, "before") };
        var trail = Trail(entries, lastSequence: 7);

        Assert.Equal(8, trail.Append(n => new Entry(n, "raised")));
        Assert.Equal(9, trail.Append(n => new Entry(n, "resolved")));

        Assert.Equal([new Entry(7, "before"), new Entry(8, "raised"), new Entry(9, "resolved")], entries);
        Assert.Equal(9, trail.LastSequence);
    }

    [Fact]
    public void Keeps_the_newest_entries_and_never_gives_a_dropped_number_again()
    {
        var trail = Trail([], maxEntries: 2);

        for (var i = 0; i < 5; i++)
        {
            trail.Append(n => new Entry(n, $"entry {n}"));
        }

        Assert.Equal([4L, 5L], trail.Entries.Select(e => e.Sequence));
        Assert.Equal(6, trail.Append(n => new Entry(n, "next")));
    }

    [Fact]
    public void Reads_in_pages_after_a_number_until_the_last_page()
    {
        var trail = Trail([]);
        for (var i = 0; i < 5; i++)
        {
            trail.Append(n => new Entry(n, $"entry {n}"));
        }

        var first = trail.PageAfter(0, 2);
        var second = trail.PageAfter(first.NextAfterSequence, 2);
        var last = trail.PageAfter(second.NextAfterSequence, 2);

        Assert.Equal([1L, 2L], first.Entries.Select(e => e.Sequence));
        Assert.Equal(2, first.NextAfterSequence);
        Assert.Equal([3L, 4L], second.Entries.Select(e => e.Sequence));
        Assert.Equal(4, second.NextAfterSequence);
        Assert.Equal([5L], last.Entries.Select(e => e.Sequence));
        Assert.Equal(0, last.NextAfterSequence);
    }

    [Fact]
    public void A_page_that_ends_exactly_at_the_newest_entry_is_the_last()
    {
        var trail = Trail([]);
        trail.Append(n => new Entry(n, "only"));

        Assert.Equal(0, trail.PageAfter(0, 1).NextAfterSequence);
        Assert.Empty(trail.PageAfter(1, 10).Entries);
    }
}
