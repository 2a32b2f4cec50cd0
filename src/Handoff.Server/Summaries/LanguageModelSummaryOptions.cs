using System.Globalization;
using Microsoft.Extensions.Options;

namespace Handoff.Server.Summaries;

/// <summary>
/// The optional language-model summary writer. Bound from configuration section "Handoff:Summary:LanguageModel".
/// Off by default: the deterministic writer needs no outside service and reads well on its own.
/// </summary>
public sealed class LanguageModelSummaryOptions
{
    public const string Section = "Handoff:Summary:LanguageModel";

    /// <summary>Use the language model for card summaries, falling back to the deterministic writer.</summary>
    public bool Enabled { get; set; }

    /// <summary>Base URL of an OpenAI-compatible API, e.g. "http://localhost:11434/v1"; "/chat/completions" is appended.</summary>
    public string Endpoint { get; set; } = string.Empty;

    /// <summary>The model name the endpoint serves, e.g. "llama3.1:8b" or "gpt-4o-mini".</summary>
    public string Model { get; set; } = string.Empty;

    /// <summary>Sent as "Authorization: Bearer {ApiKey}" when set; local servers usually need none.</summary>
    public string? ApiKey { get; set; }

    /// <summary>How long one summary may take, connect to last byte; after that the deterministic summary is used.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Upper bound on the answer's length (max_tokens); 4 sentences fit comfortably.</summary>
    public int MaxTokens { get; set; } = 220;

    /// <summary>Sampling temperature; low, because the summary must stay with the facts.</summary>
    public double Temperature { get; set; } = 0.2;
}

/// <summary>Start-up checks for <see cref="LanguageModelSummaryOptions"/>; each failure names the setting to fix.</summary>
public sealed class LanguageModelSummaryOptionsValidator : IValidateOptions<LanguageModelSummaryOptions>
{
    private const string Prefix = LanguageModelSummaryOptions.Section + ":";

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

        if (options.Timeout <= TimeSpan.Zero)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{Prefix}{nameof(options.Timeout)} must be positive; it is {options.Timeout}."));
        }

        if (options.MaxTokens <= 0)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{Prefix}{nameof(options.MaxTokens)} must be positive; it is {options.MaxTokens}."));
        }

        if (options.Temperature is < 0 or > 2 || double.IsNaN(options.Temperature))
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{Prefix}{nameof(options.Temperature)} must be between 0 and 2; it is {options.Temperature}."));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
