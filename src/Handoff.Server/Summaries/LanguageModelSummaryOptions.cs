using System.Globalization;
using Microsoft.Extensions.Options;

namespace Handoff.Server.Summaries;

/// <summary>
/// The optional language-model summary writer. Bound from configuration section "Handoff:Summary:LanguageModel".
/// Off by default: the deterministic writer needs no outside service and reads well on its own. When on, a card is
/// still raised with the deterministic summary; the model's replaces it in the background once it passes the guard.
/// </summary>
public sealed class LanguageModelSummaryOptions
{
    public const string Section = "Handoff:Summary:LanguageModel";

    /// <summary>Ask the language model for card summaries in the background.</summary>
    public bool Enabled { get; set; }

    /// <summary>Base URL of an OpenAI-compatible API, e.g. "http://localhost:11434/v1" (the client appends "/chat/completions").</summary>
    public string Endpoint { get; set; } = string.Empty;

    /// <summary>The model name the endpoint serves, e.g. "llama3.1:8b" or "gpt-4o-mini".</summary>
    public string Model { get; set; } = string.Empty;

    /// <summary>Sent as "Authorization: Bearer {ApiKey}" when set; local servers usually need none.</summary>
    public string? ApiKey { get; set; }

    /// <summary>How long one summary may take, connect to last byte; after that the deterministic summary stays.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Upper bound on the answer's length (max_tokens); 4 sentences fit comfortably.</summary>
    public int MaxTokens { get; set; } = 220;

    /// <summary>Sampling temperature; low, because the summary must stay with the facts.</summary>
    public double Temperature { get; set; } = 0.2;

    /// <summary>Model calls running at once on this silo; more cards wait in the queue.</summary>
    public int MaxConcurrentCalls { get; set; } = 2;

    /// <summary>Cards waiting for a model call on this silo; past it a new card keeps its deterministic summary.</summary>
    public int QueueCapacity { get; set; } = 1000;

    /// <summary>The share of failed calls (errors, timeouts) within <see cref="BreakerSamplingDuration"/> that opens the circuit.</summary>
    public double BreakerFailureRatio { get; set; } = 0.5;

    /// <summary>Calls within <see cref="BreakerSamplingDuration"/> before the ratio counts: one failure alone opens nothing.</summary>
    public int BreakerMinimumThroughput { get; set; } = 4;

    public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long an open circuit skips the model (cards keep the deterministic summary) before one call tries again.</summary>
    public TimeSpan BreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>Start-up checks for <see cref="LanguageModelSummaryOptions"/>; each failure names the setting to fix.</summary>
public sealed class LanguageModelSummaryOptionsValidator : IValidateOptions<LanguageModelSummaryOptions>
{
    private const string Prefix = LanguageModelSummaryOptions.Section + ":";

    /// <summary>Polly's own floor for a circuit breaker's sampling and break durations.</summary>
    private static readonly TimeSpan BreakerMinimumDuration = TimeSpan.FromMilliseconds(500);

    public ValidateOptionsResult Validate(string? name, LanguageModelSummaryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        var enabledBy = $"when {Prefix}{nameof(options.Enabled)} is true";
        if (string.IsNullOrWhiteSpace(options.Endpoint))
        {
            failures.Add($"{Prefix}{nameof(options.Endpoint)} must be set {enabledBy}: the base URL of an OpenAI-compatible API, e.g. http://localhost:11434/v1.");
        }
        else if (!Uri.TryCreate(options.Endpoint, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add($"{Prefix}{nameof(options.Endpoint)} must be an absolute http or https URL, e.g. http://localhost:11434/v1; it is '{options.Endpoint}'.");
        }

        if (string.IsNullOrWhiteSpace(options.Model))
        {
            failures.Add($"{Prefix}{nameof(options.Model)} must be set {enabledBy}: the model name the endpoint serves.");
        }

        Positive(failures, nameof(options.Timeout), options.Timeout);
        Positive(failures, nameof(options.MaxTokens), options.MaxTokens);
        Positive(failures, nameof(options.MaxConcurrentCalls), options.MaxConcurrentCalls);
        Positive(failures, nameof(options.QueueCapacity), options.QueueCapacity);
        if (options.Temperature is < 0 or > 2 || double.IsNaN(options.Temperature))
        {
            failures.Add(Invariant($"{Prefix}{nameof(options.Temperature)} must be between 0 and 2; it is {options.Temperature}."));
        }

        if (options.BreakerFailureRatio is <= 0 or > 1 || double.IsNaN(options.BreakerFailureRatio))
        {
            failures.Add(Invariant($"{Prefix}{nameof(options.BreakerFailureRatio)} must be above 0 and at most 1; it is {options.BreakerFailureRatio}."));
        }

        if (options.BreakerMinimumThroughput < 2)
        {
            failures.Add(Invariant($"{Prefix}{nameof(options.BreakerMinimumThroughput)} must be at least 2; it is {options.BreakerMinimumThroughput}."));
        }

        AtLeast(failures, nameof(options.BreakerSamplingDuration), options.BreakerSamplingDuration, BreakerMinimumDuration);
        AtLeast(failures, nameof(options.BreakerBreakDuration), options.BreakerBreakDuration, BreakerMinimumDuration);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Positive(List<string> failures, string setting, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            failures.Add(Invariant($"{Prefix}{setting} must be positive; it is {value}."));
        }
    }

    private static void Positive(List<string> failures, string setting, int value)
    {
        if (value <= 0)
        {
            failures.Add(Invariant($"{Prefix}{setting} must be positive; it is {value}."));
        }
    }

    private static void AtLeast(List<string> failures, string setting, TimeSpan value, TimeSpan minimum)
    {
        if (value < minimum)
        {
            failures.Add(Invariant($"{Prefix}{setting} must be at least {minimum}; it is {value}."));
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
