using Handoff.Domain.Contacts;
using Handoff.Domain.Text;

namespace Handoff.Domain.Tests.Contacts;

public sealed class SeenEventIdsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void An_event_id_is_new_once()
    {
        var seen = new SeenEventIds(new Dictionary<ulong, long>());

        Assert.True(seen.TryRemember("evt-1", Now));
        Assert.False(seen.TryRemember("evt-1", Now.AddHours(1)));
        Assert.True(seen.TryRemember("evt-2", Now));
        Assert.Equal(2, seen.OpenCount);
    }

    [Fact]
    public void Remembers_in_the_dictionary_it_is_given_by_hash_and_time_of_occurrence()
    {
        var stored = new Dictionary<ulong, long>();

        new SeenEventIds(stored).TryRemember("evt-1", Now);

        Assert.Equal(new Dictionary<ulong, long> { [Fnv64.Of("evt-1")] = Now.UtcTicks }, stored);
    }

    [Fact]
    public void Forgets_the_events_that_occurred_before_the_horizon_and_only_those()
    {
        var seen = new SeenEventIds(new Dictionary<ulong, long>());
        seen.TryRemember("old", Now.AddDays(-8));
        seen.TryRemember("at-the-horizon", Now.AddDays(-7));
        seen.TryRemember("recent", Now.AddHours(-1));

        seen.ForgetOccurredBefore(Now.AddDays(-7));

        Assert.False(seen.Contains("old"));
        Assert.True(seen.Contains("at-the-horizon"));
        Assert.True(seen.Contains("recent"));
        Assert.True(seen.TryRemember("old", Now.AddDays(-8)));
    }

    [Fact]
    public void Sealed_ids_leave_the_open_ones_and_are_still_seen()
    {
        var open = new Dictionary<ulong, long>();
        var seen = new SeenEventIds(open);
        seen.TryRemember("evt-1", Now.AddHours(-2));
        seen.TryRemember("evt-2", Now.AddHours(-1));

        var sealedIds = seen.Seal(7);

        Assert.Empty(open);
        Assert.Equal(7, sealedIds.Segment);
        Assert.Equal(new Dictionary<ulong, long> { [Fnv64.Of("evt-1")] = Now.AddHours(-2).UtcTicks, [Fnv64.Of("evt-2")] = Now.AddHours(-1).UtcTicks },
            sealedIds.OccurredAtByHash);
        Assert.Equal(Now.AddHours(-1), sealedIds.NewestOccurredAt);
        Assert.True(seen.Contains("evt-1"));
        Assert.False(seen.TryRemember("evt-2", Now));
        Assert.True(seen.TryRemember("evt-3", Now));
        Assert.Equal(1, seen.OpenCount);
    }

    [Fact]
    public void Ids_of_a_loaded_segment_are_seen_until_the_segment_is_forgotten()
    {
        var seen = new SeenEventIds(new Dictionary<ulong, long>());
        seen.AddSealed(1, [Fnv64.Of("evt-1")]);
        seen.AddSealed(2, [Fnv64.Of("evt-2")]);

        Assert.False(seen.TryRemember("evt-1", Now));
        seen.ForgetSegment(1);

        Assert.False(seen.Contains("evt-1"));
        Assert.True(seen.Contains("evt-2"));
        Assert.True(seen.TryRemember("evt-1", Now));
    }

    [Fact]
    public void Nothing_open_cannot_be_sealed()
    {
        Assert.Throws<InvalidOperationException>(() => new SeenEventIds(new Dictionary<ulong, long>()).Seal(0));
    }
}
