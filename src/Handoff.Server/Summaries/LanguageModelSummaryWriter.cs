using Handoff.Domain.Summary;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace Handoff.Server.Summaries;

/// <summary>
/// Writes the card summary with a language model through an <see cref="IChatClient"/> (the host's: the OpenAI adapter
/// for any OpenAI-compatible endpoint, with logging, OpenTelemetry and the cache by fact-sheet hash). The model sees the
/// card's <see cref="FactSheet"/> as JSON (<see cref="FactSheetJson"/>) and is told to use nothing else.
/// </summary>
/// <remarks>
/// Throws on any failure and enforces no deadline and no check of the answer itself: <see cref="ModelSummaryService"/>
/// runs it under a timeout and a circuit breaker and checks the answer with the <see cref="SummaryGuard"/>.
/// </remarks>
public sealed class LanguageModelSummaryWriter(IChatClient chat, IOptions<LanguageModelSummaryOptions> options) : ISummaryWriter
{
    /// <summary>The instructions sent as the system message. Changing them changes the cache key (it hashes the request).</summary>
    public const string SystemPrompt =
        "You write the summary on a sales handoff card: the brief a salesperson reads before taking over a contact "
        + "from automated outreach. Write 2 to 4 plain sentences in one paragraph, at most 600 characters. "
        + "The user message is a JSON fact sheet. Use ONLY its facts. Do not invent names, numbers, dates, weekdays, "
        + "companies, products, prices or events, and leave out anything the facts do not state. Never offer or promise "
        + "anything (no discounts, no commitments). Do not quote the contact's messages. "
        + "Cover why a person is needed now (the reasons and their evidence, the most decisive first), the recent "
        + "behaviour (say when, relative to today: \"yesterday\", \"3 days ago\"), and the engagement state (score, "
        + "trend, lifecycle stage and pipeline phase). "
        + "Refer to the contact by first name, or as \"this contact\" when the facts give no name; use no gendered pronouns. "
        + "No greeting, heading, list, markdown or quotation marks around the answer.";

    private readonly LanguageModelSummaryOptions options = options.Value;

    public async ValueTask<string> WriteAsync(FactSheet facts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var response = await chat.GetResponseAsync(
            [new ChatMessage(ChatRole.System, SystemPrompt), new ChatMessage(ChatRole.User, FactSheetJson.Of(facts))],
            new ChatOptions { ModelId = options.Model, MaxOutputTokens = options.MaxTokens, Temperature = (float)options.Temperature },
            cancellationToken).ConfigureAwait(false);

        // One paragraph: line breaks and runs of spaces from the model read as single spaces on the card.
        return string.Join(' ', response.Text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }
}
