namespace Handoff.Grains.Handoffs;

/// <summary>
/// The head of a tenant's handoff index: the active cards are stored in parts of their own by a hash of the contact id
/// (<see cref="HandoffIndexPart"/>), so that a card raised or resolved writes one part, not every active card.
/// </summary>
[GenerateSerializer, Alias("handoff.TenantHandoffIndexState")]
public sealed class TenantHandoffIndexState
{
    /// <summary>How many parts the entries are spread over (fixed when the first part is written).</summary>
    [Id(1)] public int Parts { get; set; }
}

/// <summary>The active cards of the contacts whose ids hash to one part, by contact id.</summary>
[GenerateSerializer, Alias("handoff.HandoffIndexPart")]
public sealed class HandoffIndexPart
{
    [Id(0)] public Dictionary<string, ActiveHandoffEntry> Active { get; set; } = [];
}
