using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;

namespace Handoff.Server.Summaries;

/// <summary>
/// Microsoft.Extensions.AI's distributed cache, keyed by the fact sheet: the summary request's user message is the fact
/// sheet's JSON, so its SHA-256 is the sheet's hash (<see cref="Handoff.Domain.Summary.FactSheetJson.Hash"/>). Two cards
/// with the same facts (a replay, a card raised again on the same window) ask the model once. The model's name and a
/// hash of the system prompt are part of the key, so a new model or prompt never reads old answers.
/// </summary>
public sealed class FactSheetCachingChatClient(IChatClient inner, IDistributedCache cache, string model) : DistributedCachingChatClient(inner, cache)
{
    private const string KeyPrefix = "handoff:summary:";

    protected override string GetCacheKey(IEnumerable<ChatMessage> messages, ChatOptions? options, params ReadOnlySpan<object?> additionalValues)
    {
        var list = messages.ToList();
        var system = string.Concat(list.Where(m => m.Role == ChatRole.System).Select(m => m.Text));
        var facts = list.LastOrDefault(m => m.Role == ChatRole.User)?.Text ?? string.Empty;
        return $"{KeyPrefix}{model}:{Sha256(system)[..16]}:{Sha256(facts)}";
    }

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
