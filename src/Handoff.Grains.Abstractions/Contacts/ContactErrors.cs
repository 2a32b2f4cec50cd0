namespace Handoff.Grains.Contacts;

/// <summary>The contact was never created: no upsert and no event.</summary>
[GenerateSerializer, Alias("handoff.ContactNotFoundException")]
public sealed class ContactNotFoundException(string contactId)
    : Exception($"Contact '{contactId}' does not exist.")
{
    [Id(0)] public string ContactId { get; } = contactId;
}

/// <summary>An action named a card that is not the contact's current card: the caller's screen is stale.</summary>
[GenerateSerializer, Alias("handoff.StaleCardException")]
public sealed class StaleCardException(string expectedCardId, string currentCardId)
    : Exception(currentCardId.Length == 0
        ? $"Card '{expectedCardId}' is not on this contact: it has no card. Reload the contact."
        : $"Card '{expectedCardId}' is not the contact's current card '{currentCardId}'. Reload the contact.")
{
    [Id(0)] public string ExpectedCardId { get; } = expectedCardId;
    [Id(1)] public string CurrentCardId { get; } = currentCardId;
}

/// <summary>The contact's outbound queue already holds as many waiting messages as it may.</summary>
[GenerateSerializer, Alias("handoff.OutboxFullException")]
public sealed class OutboxFullException(int limit)
    : Exception($"The contact already has {limit} messages waiting; claim or wait before queueing more.")
{
    [Id(0)] public int Limit { get; } = limit;
}
