using System.Diagnostics;

namespace Handoff.Grains.Tests.Support;

/// <summary>
/// Waits for something that happens in the background (a reminder delivered on another task after the fake clock moved)
/// by asking again every few milliseconds until it holds or a deadline passes. Never a fixed sleep standing in for time.
/// </summary>
public static class Wait
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);

    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(25);

    /// <summary>
    /// The first non-null answer of <paramref name="probe"/>. <paramref name="eachRound"/>, when given, runs before every
    /// probe (for example to move the fake clock on, so that a timer armed late still comes due).
    /// </summary>
    public static async Task<T> ForAsync<T>(Func<Task<T?>> probe, string what, TimeSpan? timeout = null, Action? eachRound = null)
        where T : class
    {
        var deadline = Stopwatch.StartNew();
        var limit = timeout ?? DefaultTimeout;
        while (true)
        {
            eachRound?.Invoke();
            if (await probe() is { } answer)
            {
                return answer;
            }

            if (deadline.Elapsed > limit)
            {
                throw new TimeoutException($"Waited {limit.TotalSeconds:0} s for {what}.");
            }

            await Task.Delay(Interval);
        }
    }

    /// <summary>Until <paramref name="condition"/> holds.</summary>
    public static Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null, Action? eachRound = null) =>
        ForAsync(async () => await condition() ? (object?)true : null, what, timeout, eachRound);
}
