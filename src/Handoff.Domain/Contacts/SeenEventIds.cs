using Handoff.Domain.Text;

namespace Handoff.Domain.Contacts;

/// <summary>
/// The event ids a contact has seen within the dedupe window, so that an event sent again is applied once. Kept as a
/// stable 64-bit hash of the id (<see cref="Fnv64"/>) to the UTC ticks at which the event occurred, which decide when
/// it may be forgotten: 16 bytes an event instead of the whole id. Two ids of one contact share a hash with odds of
/// about n² / 2⁶⁵ for n ids in the window: 3 in a trillion for 10,000.
/// </summary>
/// <remarks>
/// The ids are in two places. The open ids are the dictionary it is given (the contact's stored one, so nothing is
/// copied), which every state write carries. Once there are enough of them they are sealed (<see cref="Seal"/>) into a
/// numbered segment the caller stores once, on its own: a busy contact's state write then carries a bounded number of
/// ids, not every id of the last seven days. The sealed ids it knows of are held in memory by segment, added when the
/// caller seals or loads a segment (<see cref="AddSealed"/>).
/// </remarks>
public sealed class SeenEventIds(IDictionary<ulong, long> openOccurredAtByHash)
{
    /// <summary>The sealed ids known in memory: hash to the segment holding it.</summary>
    private readonly Dictionary<ulong, long> sealedSegmentByHash = [];

    /// <summary>The ids not sealed yet.</summary>
    public int OpenCount => openOccurredAtByHash.Count;

    /// <summary>Remembers the event; false when its id was seen already (the event is a replay).</summary>
    public bool TryRemember(string eventId, DateTimeOffset occurredAt)
    {
        var hash = Fnv64.Of(eventId);
        return !sealedSegmentByHash.ContainsKey(hash) && openOccurredAtByHash.TryAdd(hash, occurredAt.UtcTicks);
    }

    public bool Contains(string eventId)
    {
        var hash = Fnv64.Of(eventId);
        return openOccurredAtByHash.ContainsKey(hash) || sealedSegmentByHash.ContainsKey(hash);
    }

    /// <summary>
    /// Forgets the open ids of events that occurred before <paramref name="horizon"/>: an event that old is refused at
    /// ingest anyway. A sealed segment is forgotten whole (<see cref="ForgetSegment"/>), once its newest event is that old.
    /// </summary>
    public void ForgetOccurredBefore(DateTimeOffset horizon)
    {
        var ticks = horizon.UtcTicks;
        foreach (var (hash, occurredAt) in openOccurredAtByHash)
        {
            if (occurredAt < ticks)
            {
                openOccurredAtByHash.Remove(hash);
            }
        }
    }

    /// <summary>
    /// Moves the open ids into sealed segment <paramref name="segment"/> and returns them, for the caller to store; the
    /// open ids start again empty.
    /// </summary>
    public SealedSeenIds Seal(long segment)
    {
        if (openOccurredAtByHash.Count == 0)
        {
            throw new InvalidOperationException("There are no open event ids to seal.");
        }

        var ids = new Dictionary<ulong, long>(openOccurredAtByHash);
        var newestOccurredAt = long.MinValue;
        foreach (var (hash, occurredAt) in ids)
        {
            sealedSegmentByHash[hash] = segment;
            newestOccurredAt = Math.Max(newestOccurredAt, occurredAt);
        }

        openOccurredAtByHash.Clear();
        return new SealedSeenIds(segment, ids, new DateTimeOffset(newestOccurredAt, TimeSpan.Zero));
    }

    /// <summary>Adds the ids of a stored segment, loaded by the caller.</summary>
    public void AddSealed(long segment, IEnumerable<ulong> hashes)
    {
        foreach (var hash in hashes)
        {
            sealedSegmentByHash[hash] = segment;
        }
    }

    /// <summary>Forgets the ids of a sealed segment whose events all occurred before the dedupe window.</summary>
    public void ForgetSegment(long segment)
    {
        foreach (var (hash, inSegment) in sealedSegmentByHash)
        {
            if (inSegment == segment)
            {
                sealedSegmentByHash.Remove(hash);
            }
        }
    }
}

/// <summary>Ids sealed into a segment: hash to the UTC ticks the event occurred, and when the newest of them occurred.</summary>
public sealed record SealedSeenIds(long Segment, Dictionary<ulong, long> OccurredAtByHash, DateTimeOffset NewestOccurredAt);
