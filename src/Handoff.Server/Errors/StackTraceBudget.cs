using System.Diagnostics.Metrics;
using System.Threading.RateLimiting;
using Handoff.Grains;
using Handoff.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Handoff.Server.Errors;

/// <summary>
/// How many stack traces the host writes at warning or error level per minute (<see cref="ApiOptions.StackTracesPerMinute"/>):
/// past it, failures are logged in one line without the trace, and counted (<c>handoff.log.stack_traces_suppressed</c>),
/// so that no stream of requests can flood the log.
/// </summary>
public sealed class StackTraceBudget : IDisposable
{
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

    /// <summary>The exception to log with its trace, or null (counted) when the minute's budget is spent.</summary>
    public Exception? Take(Exception exception)
    {
        using var lease = traces.AttemptAcquire();
        if (lease.IsAcquired)
        {
            return exception;
        }

        suppressed.Add(1);
        return null;
    }

    public void Dispose() => traces.Dispose();
}
