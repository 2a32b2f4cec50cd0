using Handoff.Domain.Text;

namespace Handoff.Domain.Contacts;

/// <summary>
/// The event ids a contact has seen within the dedupe window, so that an event sent again is applied once. Kept as a
/// stable 64-bit hash of the id (<see cref="Fnv64"/>) to the UTC ticks at which the event occurred, which decide when
/// it may be forgotten: 16 bytes an event instead of the whole id. Two ids of one contact share a hash with odds of
/// about n² / 2⁶⁵ for n ids in the window: 3 in a trillion for 10,000. Works on the dictionary it is given (the
/// contact's stored one), so nothing is copied.
/// </summary>
public sealed class SeenEventIds(IDictionary<ulong, long> occurredAtByHash)
{
    public int Count => occurredAtByHash.Count;

    /// <summary>Remembers the event; false when its id was seen already (the event is a replay).</summary>
    public bool TryRemember(string eventId, DateTimeOffset occurredAt) =>
        occurredAtByHash.TryAdd(Fnv64.Of(eventId), occurredAt.UtcTicks);

    public bool Contains(string eventId) => occurredAtByHash.ContainsKey(Fnv64.Of(eventId));

    /// <summary>Forgets the events that occurred before <paramref name="horizon"/>: an event that old is refused at ingest anyway.</summary>
    public void ForgetOccurredBefore(DateTimeOffset horizon)
    {
        var ticks = horizon.UtcTicks;
        foreach (var (hash, occurredAt) in occurredAtByHash)
        {
            if (occurredAt < ticks)
            {
                occurredAtByHash.Remove(hash);
            }
        }
    }
}
