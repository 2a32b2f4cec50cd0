using System.Threading.RateLimiting;
using Handoff.Server.Errors;
using Handoff.Server.Hosting;
using Handoff.Server.Security;
using Microsoft.Extensions.Options;

namespace Handoff.Server.Limits;

/// <summary>
/// The per-caller and per-tenant limits of <see cref="LimitOptions"/>, partitioned by tenant and by (tenant, user) with
/// System.Threading.RateLimiting. The caller's own bucket is asked first, so one noisy caller is stopped there without
/// spending the rest of its tenant's.
/// </summary>
public sealed class CallerLimits : IDisposable
{
    private readonly LimitOptions options;
    private readonly PartitionedRateLimiter<Caller> callsPerUser;
    private readonly PartitionedRateLimiter<Caller> callsPerTenant;
    private readonly PartitionedRateLimiter<Caller> eventsPerCaller;
    private readonly PartitionedRateLimiter<Caller> eventsPerTenant;
    private readonly PartitionedRateLimiter<Caller> watchesPerUser;
    private readonly PartitionedRateLimiter<Caller> watchesPerTenant;

    public CallerLimits(IOptions<LimitOptions> limits, IOptions<IngestOptions> ingest)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(ingest);
        options = limits.Value;
        Validate(options, ingest.Value);
        callsPerUser = PerUser(c => Bucket(options.CallsPerSecondPerUser, options.CallBurstPerUser));
        callsPerTenant = PerTenant(() => Bucket(options.CallsPerSecondPerTenant, options.CallBurstPerTenant));
        eventsPerCaller = PerUser(c => Bucket(options.EventsPerSecondPerCaller, options.EventBurstPerCaller));
        eventsPerTenant = PerTenant(() => Bucket(options.EventsPerSecondPerTenant, options.EventBurstPerTenant));
        watchesPerUser = PartitionedRateLimiter.Create<Caller, (string, string)>(c =>
            RateLimitPartition.GetConcurrencyLimiter((c.TenantId, c.UserId), _ => Slots(options.WatchesPerUser)));
        watchesPerTenant = PartitionedRateLimiter.Create<Caller, string>(c =>
            RateLimitPartition.GetConcurrencyLimiter(c.TenantId, _ => Slots(options.WatchesPerTenant)));
    }

    /// <summary>One API call; RESOURCE_EXHAUSTED with a retry delay past the user's or the tenant's rate.</summary>
    public void Call(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        Take(callsPerUser, caller, 1, "CALL_RATE_LIMITED", $"user '{caller.UserId}' makes more than {options.CallsPerSecondPerUser} calls a second");
        Take(callsPerTenant, caller, 1, "CALL_RATE_LIMITED", $"tenant '{caller.TenantId}' makes more than {options.CallsPerSecondPerTenant} calls a second");
    }

    /// <summary>A batch of <paramref name="count"/> events; RESOURCE_EXHAUSTED, the batch not taken, past the caller's or the tenant's rate.</summary>
    public void Events(Caller caller, int count)
    {
        ArgumentNullException.ThrowIfNull(caller);
        // A batch larger than a bucket can hold is larger than any batch may be (the burst is at least
        // MaxBatchSize): its validation refuses it INVALID_ARGUMENT, the answer that tells the sender what to change.
        if (count == 0 || count > Math.Min(options.EventBurstPerCaller, options.EventBurstPerTenant))
        {
            return;
        }

        Take(eventsPerCaller, caller, count, "EVENT_RATE_LIMITED", $"caller '{caller.UserId}' sends more than {options.EventsPerSecondPerCaller} events a second");
        Take(eventsPerTenant, caller, count, "EVENT_RATE_LIMITED", $"tenant '{caller.TenantId}' receives more than {options.EventsPerSecondPerTenant} events a second");
    }

    /// <summary>A place for one open WatchNotifications stream, held until disposed; RESOURCE_EXHAUSTED when the user or the tenant has none left.</summary>
    public IDisposable Watch(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var user = watchesPerUser.AttemptAcquire(caller);
        if (!user.IsAcquired)
        {
            user.Dispose();
            throw RichStatus.ResourceExhausted("TOO_MANY_WATCHES",
                $"User '{caller.UserId}' has {options.WatchesPerUser} notification streams open, the most allowed; close one first.", options.WatchRetryAfter);
        }

        var tenant = watchesPerTenant.AttemptAcquire(caller);
        if (!tenant.IsAcquired)
        {
            tenant.Dispose();
            user.Dispose();
            throw RichStatus.ResourceExhausted("TOO_MANY_WATCHES",
                $"Tenant '{caller.TenantId}' has {options.WatchesPerTenant} notification streams open, the most allowed.", options.WatchRetryAfter);
        }

        return new Leases(user, tenant);
    }

    public void Dispose()
    {
        callsPerUser.Dispose();
        callsPerTenant.Dispose();
        eventsPerCaller.Dispose();
        eventsPerTenant.Dispose();
        watchesPerUser.Dispose();
        watchesPerTenant.Dispose();
    }

    private static void Take(PartitionedRateLimiter<Caller> limiter, Caller caller, int permits, string reason, string what)
    {
        using var lease = limiter.AttemptAcquire(caller, permits);
        if (lease.IsAcquired)
        {
            return;
        }

        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(1);
        throw RichStatus.ResourceExhausted(reason, $"Rate limit: {what}; retry after {retryAfter.TotalSeconds:0.###} s.", retryAfter);
    }

    private static PartitionedRateLimiter<Caller> PerUser(Func<Caller, TokenBucketRateLimiterOptions> bucket) =>
        PartitionedRateLimiter.Create<Caller, (string, string)>(c => RateLimitPartition.GetTokenBucketLimiter((c.TenantId, c.UserId), _ => bucket(c)));

    private static PartitionedRateLimiter<Caller> PerTenant(Func<TokenBucketRateLimiterOptions> bucket) =>
        PartitionedRateLimiter.Create<Caller, string>(c => RateLimitPartition.GetTokenBucketLimiter(c.TenantId, _ => bucket()));

    private static TokenBucketRateLimiterOptions Bucket(int perSecond, int burst) => new()
    {
        TokensPerPeriod = perSecond,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        TokenLimit = burst,
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    private static ConcurrencyLimiterOptions Slots(int permits) => new() { PermitLimit = permits, QueueLimit = 0 };

    private static void Validate(LimitOptions limits, IngestOptions ingest)
    {
        // A bucket never holds more than its burst, so a batch larger than the burst could never be taken.
        foreach (var (name, burst) in new[] { (nameof(limits.EventBurstPerCaller), limits.EventBurstPerCaller), (nameof(limits.EventBurstPerTenant), limits.EventBurstPerTenant) })
        {
            if (burst < ingest.MaxBatchSize)
            {
                throw new HandoffStartupException(
                    $"{LimitOptions.Section}:{name} ({burst}) must be at least {IngestOptions.Section}:{nameof(IngestOptions.MaxBatchSize)} ({ingest.MaxBatchSize}).");
            }
        }
    }

    private sealed class Leases(RateLimitLease user, RateLimitLease tenant) : IDisposable
    {
        public void Dispose()
        {
            tenant.Dispose();
            user.Dispose();
        }
    }
}
