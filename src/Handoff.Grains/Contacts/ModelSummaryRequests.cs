using Handoff.Domain.Summary;

namespace Handoff.Grains.Contacts;

/// <summary>A card whose summary another writer (a language model) may rewrite from the card's fact sheet.</summary>
public sealed record ModelSummaryRequest(string TenantId, string ContactId, string CardId, int CardVersion, FactSheet Facts);

/// <summary>
/// Where a contact leaves its cards for a language model to summarise, outside its turn: taking a request must not
/// wait (a contact never awaits an outside service), and the answer comes back through
/// <see cref="IContactGrain.ReplaceSummary"/>. The host's implementation is a background queue; without a model, the
/// requests are dropped (<see cref="NoModelSummaries"/>).
/// </summary>
public interface IModelSummaryRequests
{
    void Request(ModelSummaryRequest request);
}

/// <summary>No language model: the deterministic summary stays on every card.</summary>
public sealed class NoModelSummaries : IModelSummaryRequests
{
    public void Request(ModelSummaryRequest request)
    {
    }
}
