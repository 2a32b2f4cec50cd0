using System.Collections.Concurrent;
using Handoff.Domain.Model;
using Handoff.Domain.Scoring;
using Handoff.Domain.Summary;
using Handoff.Domain.Triggers;
using Microsoft.Extensions.Logging;

namespace Handoff.Server.Tests.Summaries;

internal static class SummaryTestData
{
    public static readonly DateTimeOffset Now = new(2025, 6, 2, 15, 0, 0, TimeSpan.Zero);

    /// <summary>Far beyond any real test run: a deadline only a fake clock reaches.</summary>
    public static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    public const string GoodAnswer =
        "Brandon is a highly engaged SQL in the WIN phase, with a score of 82 and rising. "
        + "Brandon booked 2 appointments, explored Phona and viewed the pricing page. "
        + "A person should take over now because of strong buying signals.";

    /// <summary>A contact close to a deal, with one event dated after <see cref="Now"/> that no summary may use.</summary>
    public static SummaryInput Brandon() => new(
        new ContactProfile("contact-brandon-42", "Brandon Lee", "owner-user-7", LifecycleStage.Sql, PipelinePhase.Win),
        new EngagementAssessment(82, Trend.Rising, 24, Sentiment.Positive),
        [
            new ReasonFinding(HandoffReason.BuyingSignals, ["Booked 2 appointments in the last 7 days", "Visited the pricing page once"]),
            new ReasonFinding(HandoffReason.CriticalMoment, ["Appointment in 18 hours"]),
        ],
        [
            Event(EventType.AppointmentBooked, hoursAgo: 50),
            Event(EventType.AppointmentBooked, hoursAgo: 30),
            Event(EventType.FeatureExplored, hoursAgo: 20) with { Feature = "Phona" },
            Event(EventType.PageViewed, hoursAgo: 10) with { PricingPage = true },
            Event(EventType.SmsReceived, hoursAgo: 4) with { Channel = Channel.Sms, Text = "Great, see you Tuesday" },
            Event(EventType.ProposalViewed, hoursAgo: -1),
        ],
        Now);

    public static string Deterministic(SummaryInput input) => new DeterministicSummaryWriter().Write(input);

    private static EngagementEvent Event(EventType type, int hoursAgo) => new()
    {
        EventId = $"e-{type}-{hoursAgo}",
        Type = type,
        OccurredAt = Now.AddHours(-hoursAgo),
    };
}

/// <summary>Keeps what was logged, so tests can read the fallback's reason.</summary>
internal sealed class CapturingLogger<T> : ILogger<T>
{
    private readonly ConcurrentQueue<LogEntry> entries = new();

    public IReadOnlyList<LogEntry> Entries => [.. entries];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        entries.Enqueue(new LogEntry(logLevel, eventId, formatter(state, exception), exception));
}

internal sealed record LogEntry(LogLevel Level, EventId EventId, string Message, Exception? Exception);
