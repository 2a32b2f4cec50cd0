using Handoff.Server.Hosting;

namespace Handoff.Server.Errors;

/// <summary>
/// Wraps every logger provider of the host, so that what reaches the log is what an operator can use, whoever writes
/// it (our error mapping, Orleans, ASP.NET Core):
/// <list type="bullet">
/// <item>a stack trace at warning or error level is written only within the <see cref="StackTraceBudget"/>: past the
/// budget the entry is still written, in one line with its exception's type and message, and counted, so no stream of
/// requests can fill the log with traces, whichever component they make fail;</item>
/// <item>Orleans' watchdog warning that a check "has not completed" for longer than the host has been running is
/// dropped: its watchdog thread can start before the check's clock is set and then reports the machine's uptime, a
/// stall that cannot have happened. Real stalls, shorter than the host's life, are written.</item>
/// </list>
/// </summary>
public sealed class LogGuard(ILoggerProvider inner, StackTraceBudget budget, TimeProvider time) : ILoggerProvider, ISupportExternalScope
{
    private const string WatchdogCategory = "Orleans.Runtime.Watchdog";
    private const string StallField = "TimeSinceLastTick";

    /// <summary>When logging was set up: before the silo, so no real stall it reports can be longer than the time since.</summary>
    private readonly long started = time.GetTimestamp();

    /// <summary>Replaces every registered logger provider with one wrapped in the budget. Call after every provider is added.</summary>
    public static void WrapAll(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var providers = services.Where(d => d.ServiceType == typeof(ILoggerProvider)).ToList();
        foreach (var provider in providers)
        {
            services.Remove(provider);
            services.Add(ServiceDescriptor.Singleton<ILoggerProvider>(sp => new LogGuard(Create(provider, sp), sp.GetRequiredService<StackTraceBudget>(), TimeProvider.System)));
        }
    }

    public ILogger CreateLogger(string categoryName) => categoryName == WatchdogCategory
        ? new WatchdogLogger(new BudgetedLogger(inner.CreateLogger(categoryName), budget), this)
        : new BudgetedLogger(inner.CreateLogger(categoryName), budget);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider)
    {
        if (inner is ISupportExternalScope scoped)
        {
            scoped.SetScopeProvider(scopeProvider);
        }
    }

    public void Dispose() => inner.Dispose();

    private static ILoggerProvider Create(ServiceDescriptor descriptor, IServiceProvider services) => descriptor switch
    {
        { ImplementationInstance: ILoggerProvider instance } => instance,
        { ImplementationFactory: { } factory } => (ILoggerProvider)factory(services),
        { ImplementationType: { } type } => (ILoggerProvider)ActivatorUtilities.CreateInstance(services, type),
        _ => throw new HandoffStartupException($"The logger provider {descriptor} cannot be created."),
    };

    private sealed class BudgetedLogger(ILogger inner, StackTraceBudget budget) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (exception is null || logLevel < LogLevel.Warning || !inner.IsEnabled(logLevel) || budget.Allows(exception))
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
                return;
            }

            inner.Log(logLevel, eventId, state, null, (s, _) =>
                $"{formatter(s, exception)} [{exception.GetType().Name}: {exception.Message}; stack trace not written: the budget of stack traces a minute is spent]");
        }
    }

    /// <summary>How long the host has been running: the longest stall anything in it can have seen.</summary>
    private TimeSpan Running => time.GetElapsedTime(started);

    private sealed class WatchdogLogger(ILogger inner, LogGuard guard) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (state is IReadOnlyList<KeyValuePair<string, object?>> fields
                && fields.Any(f => f.Key == StallField && f.Value is TimeSpan stall && stall > guard.Running))
            {
                return;
            }

            inner.Log(logLevel, eventId, state, exception, formatter);
        }
    }
}
