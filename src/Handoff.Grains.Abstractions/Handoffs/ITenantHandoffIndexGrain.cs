namespace Handoff.Grains.Handoffs;

/// <summary>
/// The active cards of one tenant (key: tenant id). Contacts report card transitions here, so listing
/// never fans out to every contact; only card transitions reach it, which are rare next to events.
/// </summary>
[Alias("handoff.ITenantHandoffIndexGrain")]
public interface ITenantHandoffIndexGrain : IGrainWithStringKey
{
    [Alias("Upsert")]
    Task Upsert(ActiveHandoffEntry entry);

    /// <summary>Removes the entry if it still names this card.</summary>
    [Alias("Remove")]
    Task Remove(string contactId, string cardId);

    /// <summary>Oldest card first.</summary>
    [Alias("List")]
    Task<ActiveHandoffPage> List(OwnerFilter filter, string ownerUserId, int offset, int pageSize);
}
