using System.Diagnostics.Metrics;
using Handoff.Server.Errors;
using Handoff.Server.Hosting;
using Handoff.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Handoff.Server.Tests.Observability;

/// <summary>What the guard around every logger provider lets through: traces within the budget, and no impossible stall.</summary>
public sealed class LogGuardTests : IDisposable
{
    private readonly ServiceProvider meters = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly LogCapture capture = new();
    private readonly Microsoft.Extensions.Time.Testing.FakeTimeProvider clock = new();

    public void Dispose() => meters.Dispose();

    [Fact]
    public void Orleans_watchdog_stalls_longer_than_the_host_has_run_are_dropped_and_real_ones_written()
    {
        var logger = Guard(budget: 10).CreateLogger("Orleans.Runtime.Watchdog");
        clock.Advance(TimeSpan.FromMinutes(10));

        Stall(logger, TimeSpan.FromHours(1.5));
        Stall(logger, TimeSpan.FromSeconds(5));

        var line = Assert.Single(capture.Lines);
        Assert.Contains("00:00:05", line.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Past_the_budget_a_failure_is_written_in_one_line_without_its_trace()
    {
        var logger = Guard(budget: 2).CreateLogger("Orleans.Storage");

        for (var i = 0; i < 5; i++)
        {
            logger.LogError(new InvalidOperationException($"boom {i}"), "Write failed");
        }

        Assert.Equal(5, capture.Lines.Count);
        Assert.Equal(2, capture.Lines.Count(l => l.Exception is not null));
        Assert.All(capture.Lines.Where(l => l.Exception is null),
            l => Assert.Contains("InvalidOperationException: boom", l.Message, StringComparison.Ordinal));
    }

    private LogGuard Guard(int budget) =>
        new(capture, new StackTraceBudget(Options.Create(new ApiOptions { StackTracesPerMinute = budget }), meters.GetRequiredService<IMeterFactory>()), clock);

    private static void Stall(ILogger logger, TimeSpan stall) =>
        logger.Log(LogLevel.Warning, new EventId(100150), new List<KeyValuePair<string, object?>> { new("TimeSinceLastTick", stall) }, null,
            (state, _) => $"Participant check thread has not completed for {state[0].Value}.");
}
