using System.Diagnostics;

namespace Handoff.Tests.Shared;

/// <summary>
/// Waits for something that happens in the background (a notification delivered, a log line written, a reminder due
/// after a fake clock moved) by asking again every few milliseconds until it holds or a deadline passes. Never a fixed
/// sleep standing in for time. Every test project compiles it in (tests/Directory.Build.props).
/// </summary>
public static class Wait
{
    /// <summary>Long enough for a loaded two-core machine; only reached when something is wrong.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(25);

    /// <summary>The answer of a condition that holds, for the probe that waits on it.</summary>
    private static readonly object Held = new();

    /// <summary>
    /// The first non-null answer of <paramref name="probe"/>. <paramref name="eachRound"/>, when given, runs before every
    /// probe (for example to move the fake clock on, so that a timer armed late still comes due).
    /// </summary>
    public static Task<T> ForAsync<T>(Func<Task<T?>> probe, string what, TimeSpan? timeout = null, Action? eachRound = null)
        where T : class =>
        ForAsync(probe, () => what, timeout, eachRound);

    /// <summary>As above; <paramref name="what"/> is asked only when the deadline passes, so it can tell the last thing seen.</summary>
    public static async Task<T> ForAsync<T>(Func<Task<T?>> probe, Func<string> what, TimeSpan? timeout = null, Action? eachRound = null)
        where T : class
    {
        var clock = Stopwatch.StartNew();
        var limit = timeout ?? Patience;
        while (true)
        {
            eachRound?.Invoke();
            if (await probe() is { } answer)
            {
                return answer;
            }

            if (clock.Elapsed > limit)
            {
                throw new TimeoutException($"Waited {limit.TotalSeconds:0} s for {what()}.");
            }

            await Task.Delay(Interval);
        }
    }

    /// <summary>Until <paramref name="condition"/> holds.</summary>
    public static Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null, Action? eachRound = null) =>
        UntilAsync(condition, () => what, timeout, eachRound);

    /// <summary>Until <paramref name="condition"/> holds; <paramref name="what"/> is asked only when the deadline passes.</summary>
    public static Task UntilAsync(Func<Task<bool>> condition, Func<string> what, TimeSpan? timeout = null, Action? eachRound = null) =>
        ForAsync(async () => await condition() ? Held : null, what, timeout, eachRound);

    /// <summary>Until <paramref name="condition"/>, which needs no call, holds.</summary>
    public static Task UntilAsync(Func<bool> condition, Func<string> what, TimeSpan? timeout = null) =>
        ForAsync(() => Task.FromResult(condition() ? Held : null), what, timeout);
}
