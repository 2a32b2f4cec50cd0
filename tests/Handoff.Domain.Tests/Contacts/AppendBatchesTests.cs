using Handoff.Domain.Contacts;

namespace Handoff.Domain.Tests.Contacts;

public sealed class AppendBatchesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private sealed record Item(string Name, DateTimeOffset? AppendedAt);

    [Fact]
    public void Events_of_one_append_are_one_batch_as_of_that_append()
    {
        IReadOnlyList<Item> items = [new("a", Now.AddMinutes(-1)), new("b", Now.AddMinutes(-1))];

        var batch = Assert.Single(AppendBatches.Of(items, i => i.AppendedAt, Now));

        Assert.Equal(Now.AddMinutes(-1), batch.AppendedAt);
        Assert.Same(items, batch.Items);
    }

    [Fact]
    public void Batches_come_oldest_append_first_each_in_the_given_order()
    {
        IReadOnlyList<Item> items = [new("late-1", Now), new("early-1", Now.AddMinutes(-5)), new("late-2", Now), new("early-2", Now.AddMinutes(-5))];

        var batches = AppendBatches.Of(items, i => i.AppendedAt, Now.AddHours(1));

        Assert.Equal(
            [(Now.AddMinutes(-5), "early-1,early-2"), (Now, "late-1,late-2")],
            batches.Select(b => (b.AppendedAt, string.Join(",", b.Items.Select(i => i.Name)))));
    }

    [Fact]
    public void An_event_without_an_append_time_is_applied_as_of_now()
    {
        IReadOnlyList<Item> items = [new("unstamped", null), new("stamped", Now.AddMinutes(-1))];

        var batches = AppendBatches.Of(items, i => i.AppendedAt, Now);

        Assert.Equal([(Now.AddMinutes(-1), "stamped"), (Now, "unstamped")], batches.Select(b => (b.AppendedAt, b.Items.Single().Name)));
        Assert.Equal(Now, AppendBatches.Of([new Item("alone", null)], i => i.AppendedAt, Now).Single().AppendedAt);
    }

    [Fact]
    public void No_events_no_batches()
    {
        Assert.Empty(AppendBatches.Of(Array.Empty<Item>(), i => i.AppendedAt, Now));
    }
}
