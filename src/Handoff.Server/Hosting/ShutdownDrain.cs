namespace Handoff.Server.Hosting;

/// <summary>
/// The calls this server is handling, so that a graceful shutdown lets them finish before the silo leaves the
/// cluster. Once draining, new calls are turned away with UNAVAILABLE (the client retries on another server) and
/// the health service reports NOT_SERVING.
/// </summary>
public sealed class InFlightCalls
{
    private readonly TaskCompletionSource drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int count;
    private volatile bool draining;

    public bool Draining => draining;

    /// <summary>The calls running now.</summary>
    public int Running => Volatile.Read(ref count);

    /// <summary>Counts a call in; false when the server is draining and the call must be turned away.</summary>
    public bool TryEnter()
    {
        Interlocked.Increment(ref count);
        if (!draining)
        {
            return true;
        }

        Exit();
        return false;
    }

    public void Exit()
    {
        if (Interlocked.Decrement(ref count) == 0 && draining)
        {
            drained.TrySetResult();
        }
    }

    public Task DrainAsync()
    {
        draining = true;
        if (Volatile.Read(ref count) == 0)
        {
            drained.TrySetResult();
        }

        return drained.Task;
    }
}

/// <summary>
/// Stops the server in the order that fails no call: turn new calls away, let the running ones finish (bounded by
/// <see cref="ApiOptions.ShutdownDrainTimeout"/>), and only then let the web server close its endpoints and the silo
/// hand its grains to the others. It drains in <see cref="StoppingAsync"/>, which the host runs before it stops any
/// hosted service: the web server stops first of all (it is registered last), so draining in StopAsync would find the
/// endpoints already closed (connections refused, the health service unreachable) instead of answering UNAVAILABLE
/// and NOT_SERVING.
/// </summary>
public sealed partial class ShutdownDrain(InFlightCalls calls, IHostApplicationLifetime lifetime, TimeProvider time,
    Microsoft.Extensions.Options.IOptions<ApiOptions> api, ILogger<ShutdownDrain> logger) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        // Streams (notification watches, IngestEvents) end on ApplicationStopping. A stop that did not come through the
        // lifetime (IHost.StopAsync called directly) raises it only after this method: raise it now, or they would hold
        // the drain until its timeout.
        lifetime.StopApplication();
        try
        {
            await calls.DrainAsync().WaitAsync(api.Value.ShutdownDrainTimeout, time, cancellationToken);
        }
        catch (TimeoutException)
        {
            LogDrainTimedOut(api.Value.ShutdownDrainTimeout);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Calls were still running {Timeout} after shutdown began; stopping anyway.")]
    private partial void LogDrainTimedOut(TimeSpan timeout);
}
