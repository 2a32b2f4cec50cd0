using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Handoff.Server.Tests.Support;

/// <summary>One entry as a logger provider of the host received it.</summary>
public sealed record LogLine(string Category, LogLevel Level, string Message, Exception? Exception);

/// <summary>A logger provider that keeps every entry the host writes, of every category, for assertions on the log.</summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<LogLine> lines = new();

    public IReadOnlyList<LogLine> Lines => [.. lines];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    /// <summary>Waits until a line matches; fails the test after <see cref="Streams.Patience"/>.</summary>
    public Task<LogLine> WaitForAsync(Func<LogLine, bool> match, string what) =>
        Wait.ForAsync(
            () => Task.FromResult(lines.FirstOrDefault(match)),
            () => $"a log line {what}; the log has:\n{string.Join("\n", lines.Select(l => $"{l.Level} {l.Category}: {l.Message}"))}");

    public void Dispose()
    {
    }

    private sealed class Logger(LogCapture capture, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            capture.lines.Enqueue(new LogLine(category, logLevel, formatter(state, exception), exception));
    }
}
