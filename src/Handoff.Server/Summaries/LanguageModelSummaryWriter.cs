using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Handoff.Domain.Model;
using Handoff.Domain.Summary;
using Handoff.Domain.Text;
using Microsoft.Extensions.Options;

namespace Handoff.Server.Summaries;

/// <summary>
/// Writes the card summary with a language model behind any OpenAI-compatible chat-completions endpoint
/// (OpenAI, Azure OpenAI's compatible route, Ollama, vLLM, LM Studio, llama.cpp server...). The model sees only
/// facts taken from <see cref="SummaryInput"/>, as compact JSON, and is told to use nothing else.
/// </summary>
/// <remarks>
/// Throws on any failure (HTTP error, unreadable answer) and does not check the answer's shape or enforce a
/// deadline itself: it is meant to run inside <see cref="FallbackSummaryWriter"/>, which does both.
/// </remarks>
public sealed class LanguageModelSummaryWriter : ISummaryWriter
{
    /// <summary>The instructions sent as the system message.</summary>
    public const string SystemPrompt =
        "You write the summary on a sales handoff card: the brief a salesperson reads before taking over a contact "
        + "from automated outreach. Write 2 to 4 plain sentences in one paragraph. "
        + "Use ONLY the facts in the JSON the user sends. Do not invent names, numbers, dates, companies, products or "
        + "events, and leave out anything the facts do not state. "
        + "Cover: the contact's engagement state (score and trend), their recent behaviour, their position in the "
        + "pipeline (lifecycle stage and phase), and why a person is needed now (the reasons and their evidence). "
        + "Refer to the contact by first name, or as \"this contact\" when the facts give no name; use no gendered pronouns. "
        + "No greeting, heading, list, markdown or quotation marks around the answer.";

    private const int ErrorExcerptLength = 200;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly HttpClient http;
    private readonly LanguageModelSummaryOptions options;

    public LanguageModelSummaryWriter(HttpClient http, IOptions<LanguageModelSummaryOptions> options)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        this.http = http;
        this.options = options.Value;
    }

    public async ValueTask<string> WriteAsync(SummaryInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var body = new ChatRequest(
            options.Model,
            [new ChatMessage("system", SystemPrompt), new ChatMessage("user", "Facts about the contact:\n" + FactsJson(input))],
            options.MaxTokens,
            options.Temperature,
            Stream: false);

        using var request = new HttpRequestMessage(HttpMethod.Post, CompletionsUri(options.Endpoint))
        {
            Content = new StringContent(JsonSerializer.Serialize(body, Json), Encoding.UTF8, "application/json"),
        };
        if (!string.IsNullOrWhiteSpace(options.ApiKey))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.ApiKey);
        }

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var error = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new HttpRequestException(
                string.Create(CultureInfo.InvariantCulture, $"The language model endpoint answered {(int)response.StatusCode} {response.ReasonPhrase}: {Excerpt(error)}"),
                inner: null,
                response.StatusCode);
        }

        ChatResponse? answer;
        try
        {
            answer = await response.Content.ReadFromJsonAsync<ChatResponse>(Json, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException("The language model endpoint's answer is not a chat completion.", e);
        }

        if (answer?.Choices is not [var first, ..])
        {
            throw new InvalidDataException("The language model endpoint's answer has no choices.");
        }

        // One paragraph: line breaks and runs of spaces from the model read as single spaces on the card.
        var content = first.Message?.Content ?? string.Empty;
        return string.Join(' ', content.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>
    /// The facts the model may use, as compact JSON: exactly what <see cref="SummaryInput"/> holds about the contact
    /// (events after <see cref="SummaryInput.Now"/> are left out, as the deterministic writer leaves them out), and
    /// nothing else: no message text beyond the reasons' evidence, no owner, no ids.
    /// </summary>
    public static string FactsJson(SummaryInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var events = input.RecentEvents.Where(e => e.OccurredAt <= input.Now).ToList();
        var counts = new Dictionary<string, int>();
        foreach (var group in events.GroupBy(e => e.Type).OrderBy(g => g.Key))
        {
            counts[JsonNamingPolicy.SnakeCaseLower.ConvertName(group.Key.ToString())] = group.Count();
        }

        var features = events
            .Where(e => e.Type == EventType.FeatureExplored)
            .Select(e => e.Feature?.Trim())
            .OfType<string>()
            .Where(f => f.Length > 0)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();

        var name = input.Profile.DisplayName.Trim();
        var facts = new Facts(
            name.Length > 0 ? name : null,
            ValueWording.Stage(input.Profile.Stage),
            ValueWording.Phase(input.Profile.Phase),
            input.Assessment.Score,
            ValueWording.Trend(input.Assessment.Trend).Word,
            input.Assessment.TrendDelta,
            ValueWording.Sentiment(input.Assessment.Sentiment).Fact,
            [.. input.Reasons.Select(r => new ReasonFacts(ReasonWording.Of(r.Reason).Fact, r.Evidence))],
            counts,
            features,
            events.Any(e => e.Type == EventType.PageViewed && e.PricingPage));
        return JsonSerializer.Serialize(facts, Json);
    }

    private static Uri CompletionsUri(string endpoint) => new(endpoint.TrimEnd('/') + "/chat/completions", UriKind.Absolute);

    private static string Excerpt(string text)
    {
        var oneLine = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return oneLine.Length <= ErrorExcerptLength ? oneLine : oneLine[..ErrorExcerptLength] + "\u2026";
    }

    private sealed record Facts(
        string? Name,
        string Stage,
        string Phase,
        int Score,
        string Trend,
        int TrendDelta,
        string Sentiment,
        IReadOnlyList<ReasonFacts> Reasons,
        IReadOnlyDictionary<string, int> RecentEventCounts,
        IReadOnlyList<string> FeaturesExplored,
        bool PricingPageViewed);

    private sealed record ReasonFacts(string Reason, IReadOnlyList<string> Evidence);

    private sealed record ChatRequest(string Model, IReadOnlyList<ChatMessage> Messages, int MaxTokens, double Temperature, bool Stream);

    private sealed record ChatMessage(string Role, string? Content);

    private sealed record ChatResponse(IReadOnlyList<ChatChoice>? Choices);

    private sealed record ChatChoice(ChatMessage? Message);
}
