using Handoff.Domain.Model;
using Handoff.Grains.Storage;

namespace Handoff.Grains.Contacts;

/// <summary>
/// The sealed segments of the contact's seen event ids (<see cref="ContactState.SeenSegments"/>), each a record of its
/// own beside the contact's state. Before a state write, the open ids are sealed into a new segment once there are
/// <see cref="ContactOptions.SeenSegmentSize"/> of them, and segments past the dedupe window are deleted. The stored
/// segments are read only when an event could be in one of them: the contact's new events, appended after every
/// sealed one, never need them.
/// </summary>
internal sealed class SeenSegments(StateParts<SeenSegment> parts, ContactModel model, ContactOptions options)
{
    /// <summary>Whether every stored segment is known to <see cref="ContactModel.Seen"/>: true until one is stored.</summary>
    private bool loaded = model.State.SeenSegments.Count == 0;

    private ContactState State => model.State;

    /// <summary>Reads the stored segments, once per activation, when one of <paramref name="events"/> could be in them.</summary>
    public async Task EnsureLoadedForAsync(IReadOnlyList<EngagementEvent> events)
    {
        if (loaded || !AnyCouldBeSealed(events))
        {
            return;
        }

        var segments = State.SeenSegments.ToList();
        var stored = await parts.ReadManyAsync(segments.Select(s => s.Number).ToList(), options.SeenSegmentReadConcurrency);
        for (var i = 0; i < segments.Count; i++)
        {
            // A segment deleted after its reference was stored (past the dedupe window) holds nothing worth reading.
            if (stored[i] is { } segment)
            {
                model.Seen.AddSealed(segments[i].Number, segment.OccurredAtByHash.Keys);
            }
        }

        loaded = true;
    }

    /// <summary>
    /// Before a state write: deletes the segments past the dedupe window and seals the open ids when there are enough.
    /// The state is changed before anything is awaited (effect delivery runs beside requests); the segment is stored
    /// before the state that refers to it, so a stored state never misses an id it had.
    /// </summary>
    public async Task PrepareForWriteAsync(DateTimeOffset now)
    {
        var expired = ForgetExpired(now);
        SeenSegment? sealedContent = null;
        long sealedNumber = 0;
        if (model.Seen.OpenCount >= options.SeenSegmentSize)
        {
            sealedNumber = State.NextSeenSegment;
            var sealedIds = model.Seen.Seal(sealedNumber);
            sealedContent = new SeenSegment { OccurredAtByHash = sealedIds.OccurredAtByHash };
            State.SeenSegments.Add(new SeenSegmentRef(sealedNumber, sealedIds.NewestOccurredAt));
            State.NextSeenSegment = sealedNumber + 1;
            // Ids stored before append times were tracked could have any: every event is then looked for in the segments.
            State.SealedSeenThrough = State.NewestOpenSeenAppendedAt is { } newest ? Later(State.SealedSeenThrough, newest) : DateTimeOffset.MaxValue;
            State.NewestOpenSeenAppendedAt = null;
        }

        foreach (var number in expired ?? [])
        {
            await parts.ReadAsync(number);
            await parts.DeleteAsync(number);
        }

        if (sealedContent is not null)
        {
            // The number may hold a segment an earlier activation stored before its state write failed: its version is
            // needed to write over it.
            await parts.ReadAsync(sealedNumber);
            parts.MarkChanged(sealedNumber);
            await parts.WriteChangedAsync(_ => sealedContent);
        }
    }

    /// <summary>Drops the segments whose newest event occurred before the dedupe horizon; returns their numbers, null when none.</summary>
    private List<long>? ForgetExpired(DateTimeOffset now)
    {
        var horizon = model.DedupeHorizon(now);
        List<long>? expired = null;
        foreach (var segment in State.SeenSegments)
        {
            if (segment.NewestOccurredAt < horizon)
            {
                (expired ??= []).Add(segment.Number);
                model.Seen.ForgetSegment(segment.Number);
            }
        }

        if (expired is not null)
        {
            State.SeenSegments.RemoveAll(s => expired.Contains(s.Number));
        }

        return expired;
    }

    private bool AnyCouldBeSealed(IReadOnlyList<EngagementEvent> events)
    {
        foreach (var e in events)
        {
            // An event without an append time (from a silo of the previous version) could be anywhere.
            if (e.AppendedAt is not { } appendedAt || appendedAt <= State.SealedSeenThrough)
            {
                return true;
            }
        }

        return false;
    }

    private static DateTimeOffset Later(DateTimeOffset? a, DateTimeOffset b) => a is { } known && known > b ? known : b;
}
