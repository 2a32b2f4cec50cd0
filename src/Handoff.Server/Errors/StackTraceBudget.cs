using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using System.Threading.RateLimiting;
using Handoff.Grains;
using Handoff.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Handoff.Server.Errors;

/// <summary>
/// How many stack traces the host writes at warning or error level per minute (<see cref="ApiOptions.StackTracesPerMinute"/>):
/// past it, failures are logged in one line without the trace (<see cref="LogGuard"/>), and counted
/// (<c>handoff.log.stack_traces_suppressed</c>), so that no stream of requests can flood the log.
/// </summary>
public sealed class StackTraceBudget : IDisposable
{
    private static readonly object Allowed = new();
    private static readonly object Refused = new();

    private readonly ConditionalWeakTable<Exception, object> decisions = new();
    private readonly TokenBucketRateLimiter traces;
    private readonly Counter<long> suppressed;

    public StackTraceBudget(IOptions<ApiOptions> api, IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(meters);
        var perMinute = Math.Max(1, api.Value.StackTracesPerMinute);
        traces = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = perMinute,
            TokensPerPeriod = perMinute,
            ReplenishmentPeriod = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
        suppressed = meters.Create(CardMetrics.MeterName).CreateCounter<long>("handoff.log.stack_traces_suppressed", "{trace}",
            "Failures logged without their stack trace because the per-minute budget of stack traces was spent.");
    }

    /// <summary>
    /// Whether the trace of <paramref name="exception"/> may be written. Decided once per exception, so that every logger
    /// provider of one entry (and a failure logged twice) agrees and spends one trace of the minute; a refusal is counted.
    /// </summary>
    public bool Allows(Exception exception) => decisions.GetValue(exception, _ => Decide()) == Allowed;

    private object Decide()
    {
        using var lease = traces.AttemptAcquire();
        if (lease.IsAcquired)
        {
            return Allowed;
        }

        suppressed.Add(1);
        return Refused;
    }

    public void Dispose() => traces.Dispose();
}
