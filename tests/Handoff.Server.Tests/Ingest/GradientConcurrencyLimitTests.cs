using Handoff.Server.Ingest;

namespace Handoff.Server.Tests.Ingest;

/// <summary>The limit grows while batches take their unloaded time, shrinks when they queue, and stays within its bounds.</summary>
public sealed class GradientConcurrencyLimitTests
{
    private static readonly AdaptiveLimitOptions Options = new() { MinLimit = 2, InitialLimit = 4, LatencyTolerance = 2.0, Smoothing = 0.5, BaselineSamples = 50 };

    [Fact]
    public void While_every_event_takes_its_unloaded_time_the_limit_grows_to_the_maximum_and_stays_there()
    {
        var limit = new GradientConcurrencyLimit(Options, maxLimit: 32);

        for (var i = 0; i < 200; i++)
        {
            limit.Record(TimeSpan.FromMilliseconds(100), events: 500, inFlight: limit.Current);
        }

        Assert.Equal(32, limit.Current);
    }

    [Fact]
    public void When_events_take_far_longer_than_unloaded_the_limit_shrinks_to_the_minimum_and_no_further()
    {
        var limit = new GradientConcurrencyLimit(Options, maxLimit: 32);
        limit.Record(TimeSpan.FromMilliseconds(100), events: 500, inFlight: 4);

        for (var i = 0; i < 40; i++)
        {
            limit.Record(TimeSpan.FromSeconds(5), events: 500, inFlight: limit.Current);
        }

        Assert.Equal(2, limit.Current);
    }

    [Fact]
    public void Time_is_compared_per_event_so_a_large_batch_taking_longer_than_a_small_one_is_no_sign_of_queuing()
    {
        var limit = new GradientConcurrencyLimit(Options, maxLimit: 32);

        for (var i = 0; i < 60; i++)
        {
            var events = i % 2 == 0 ? 10 : 1000;
            limit.Record(TimeSpan.FromMilliseconds(events * 0.2), events, inFlight: limit.Current);
        }

        Assert.Equal(32, limit.Current);
    }

    [Fact]
    public void A_server_with_too_few_batches_to_fill_its_limit_learns_nothing_about_a_higher_one()
    {
        var limit = new GradientConcurrencyLimit(Options, maxLimit: 32);

        for (var i = 0; i < 100; i++)
        {
            limit.Record(TimeSpan.FromMilliseconds(100), events: 500, inFlight: 1);
        }

        Assert.Equal(4, limit.Current);
    }

    [Fact]
    public void A_slow_start_is_forgotten_once_the_baseline_window_has_passed()
    {
        var limit = new GradientConcurrencyLimit(Options, maxLimit: 32);
        limit.Record(TimeSpan.FromMilliseconds(1), events: 500, inFlight: 4); // one unusually fast batch

        // Two windows later every batch takes 100 ms, which is the machine's real unloaded time.
        for (var i = 0; i < 2 * Options.BaselineSamples; i++)
        {
            limit.Record(TimeSpan.FromMilliseconds(100), events: 500, inFlight: limit.Current);
        }

        for (var i = 0; i < 100; i++)
        {
            limit.Record(TimeSpan.FromMilliseconds(100), events: 500, inFlight: limit.Current);
        }

        Assert.Equal(32, limit.Current);
    }
}
