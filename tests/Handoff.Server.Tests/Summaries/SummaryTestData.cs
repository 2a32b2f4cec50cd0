using System.Collections.Concurrent;
using Handoff.Domain.Model;
using Handoff.Domain.Scoring;
using Handoff.Domain.Summary;
using Handoff.Domain.Triggers;
using Handoff.Grains;
using Handoff.Server.Summaries;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Handoff.Server.Tests.Summaries;

internal static class SummaryTestData
{
    public static readonly DateTimeOffset Now = new(2025, 6, 2, 15, 0, 0, TimeSpan.Zero);

    /// <summary>Far beyond any real test run: a deadline only a fake clock reaches.</summary>
    public static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    /// <summary>Grounded in <see cref="Brandon"/>'s fact sheet: every number, name and event kind is there.</summary>
    public const string GoodAnswer =
        "Brandon is a highly engaged SQL in the WIN phase, with a score of 82 and rising by 24 points. "
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

    public static FactSheet BrandonFacts() => FactSheet.From(Brandon());

    public static string Deterministic(SummaryInput input) => new DeterministicSummaryWriter().Write(input);

    /// <summary>The services of a host with the language model on <paramref name="endpoint"/>, as the host registers them.</summary>
    public static ServiceProvider ModelServices(string endpoint, string? apiKey = null, params (string Key, string? Value)[] more)
    {
        const string section = LanguageModelSummaryOptions.Section;
        (string Key, string? Value)[] settings =
        [
            ($"{section}:Enabled", "true"), ($"{section}:Endpoint", endpoint), ($"{section}:Model", "test-model"), ($"{section}:ApiKey", apiKey), .. more,
        ];
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, s.Value))).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        // No silo here: these tests stop short of handing a summary to a contact.
        services.AddSingleton<IGrainFactory>(_ => null!);
        services.AddHandoffSummaries(configuration);
        services.AddHandoffGrainServices(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
    }

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
