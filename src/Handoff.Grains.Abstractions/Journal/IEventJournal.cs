using Handoff.Domain.Model;
using Handoff.Grains.Contacts;

namespace Handoff.Grains.Journal;

/// <summary>An event on its way into the journal, with the contact it belongs to.</summary>
public readonly record struct JournalEntry(string ContactId, EngagementEvent Event);

/// <summary>An event id the journal held before an append: the contact the event belongs to, and when it was appended.</summary>
public readonly record struct JournalHolder(string ContactId, DateTimeOffset AppendedAt);

/// <summary>A contact the journal holds events for.</summary>
public readonly record struct JournaledContact(string TenantId, string ContactId);

/// <summary>
/// The durability point of ingest: every accepted event is appended here, a whole batch in one write, before it is
/// acknowledged. Event ids are unique per tenant, so an event sent again (a replayed batch, a retry after a crash) is
/// recognised here, across contacts and restarts, for as long as the dedupe window keeps it. Contact grains keep their
/// state in memory and checkpoint it now and then; on activation they replay what the journal holds for them since
/// their last checkpoint.
/// </summary>
public interface IEventJournal
{
    /// <summary>
    /// Appends the entries durably, stamped <paramref name="appendedAt"/> (a <see cref="JournalClock"/> reading, which
    /// every journal keeps exactly), in one write. For each entry, in order, the answer is null when it was appended
    /// now, or the holder of the event already journaled under its event id: its contact and its append time.
    /// </summary>
    Task<IReadOnlyList<JournalHolder?>> AppendAsync(string tenantId, IReadOnlyList<JournalEntry> entries, DateTimeOffset appendedAt,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// The contact's events appended at or after <paramref name="since"/>, in the order they were appended, each with
    /// its <see cref="EngagementEvent.AppendedAt"/>.
    /// </summary>
    Task<IReadOnlyList<EngagementEvent>> ReadContactAsync(string tenantId, string contactId, DateTimeOffset since,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Every contact with events appended at or after <paramref name="since"/>, each once: the contacts that were busy
    /// then, which crash recovery wakes.
    /// </summary>
    Task<IReadOnlyList<JournaledContact>> ReadContactsAppendedSinceAsync(DateTimeOffset since, CancellationToken cancellationToken = default);

    /// <summary>When the newest event was appended; null when the journal is empty.</summary>
    Task<DateTimeOffset?> ReadLatestAppendAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Forgets the events appended before <paramref name="appendedBefore"/>, their ids with them; returns how many. The
    /// host passes a time so far back (the dedupe window and the clock skew ingest allows) that ingest refuses any of
    /// those events sent again as too old.
    /// </summary>
    Task<long> PruneAsync(DateTimeOffset appendedBefore, CancellationToken cancellationToken = default);
}

/// <summary>How to read the answer of <see cref="IEventJournal.AppendAsync"/> for an event.</summary>
public static class JournalAnswers
{
    /// <summary>
    /// Whether the contact applies the event: it was appended now, or journaled before for the same contact (an earlier
    /// try may have stopped between the append and the contact; the contact skips what it has seen). An id the tenant
    /// used for another contact is not this contact's event.
    /// </summary>
    public static bool IsTheContacts(JournalHolder? holder, string contactId) => holder is null || holder.Value.ContactId == contactId;

    /// <summary>
    /// The event as the contact applies it: as of its append time, which is the earlier append's when the journal held
    /// it already (an earlier try), since that is the time a replay of the journal reads. An event already stamped
    /// with that time is the event itself.
    /// </summary>
    public static EngagementEvent AsJournaled(JournalHolder? holder, EngagementEvent e, DateTimeOffset appendedAt) =>
        StampedAt(e, holder?.AppendedAt ?? appendedAt);

    /// <summary>
    /// The event with this append time: the event itself when it carries it already (every event journaled since the
    /// pipeline stamps them), so that a journal read or an append answer copies no event for it.
    /// </summary>
    public static EngagementEvent StampedAt(EngagementEvent e, DateTimeOffset appendedAt) =>
        e.AppendedAt == appendedAt ? e : e with { AppendedAt = appendedAt };
}

/// <summary>The append times the journal stamps.</summary>
public static class JournalClock
{
    /// <summary>
    /// Now, to the whole microsecond: the finest time PostgreSQL keeps, so that an append time read back from any journal
    /// equals the one the live path applied, tick for tick.
    /// </summary>
    public static DateTimeOffset Now(TimeProvider time)
    {
        var now = time.GetUtcNow();
        return now.AddTicks(-(now.UtcTicks % TimeSpan.TicksPerMicrosecond));
    }
}
