using Handoff.Server.Hosting;

namespace Handoff.Server.Errors;

/// <summary>
/// Wraps every logger provider of the host so that a stack trace at warning or error level is written only within the
/// <see cref="StackTraceBudget"/>, whoever logs it (our error mapping, Orleans' storage, ASP.NET Core): past the budget
/// the entry is still written, in one line with its exception's type and message, and counted. No stream of requests
/// can then fill the log with traces, whichever component they make fail.
/// </summary>
public sealed class BudgetedLoggerProvider(ILoggerProvider inner, StackTraceBudget budget) : ILoggerProvider, ISupportExternalScope
{
    /// <summary>Replaces every registered logger provider with one wrapped in the budget. Call after every provider is added.</summary>
    public static void WrapAll(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var providers = services.Where(d => d.ServiceType == typeof(ILoggerProvider)).ToList();
        foreach (var provider in providers)
        {
            services.Remove(provider);
            services.Add(ServiceDescriptor.Singleton<ILoggerProvider>(sp => new BudgetedLoggerProvider(Create(provider, sp), sp.GetRequiredService<StackTraceBudget>())));
        }
    }

    public ILogger CreateLogger(string categoryName) => new BudgetedLogger(inner.CreateLogger(categoryName), budget);

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
}
