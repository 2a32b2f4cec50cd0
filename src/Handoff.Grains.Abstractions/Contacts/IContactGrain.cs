using Handoff.Domain.Model;
using Handoff.Domain.Summary;
using Orleans.Concurrency;

namespace Handoff.Grains.Contacts;

/// <summary>
/// One contact of one tenant (key: "{tenant}/{contactId}"): profile, score, card, controls, audit trail and
/// outbound queue. Not reentrant: each call sees and leaves a consistent state.
/// Actions take the card id the caller acts on and fail with <see cref="StaleCardException"/> when it is not current.
/// </summary>
[Alias("handoff.IContactGrain")]
public interface IContactGrain : IGrainWithStringKey
{
    [Alias("Upsert")]
    Task<ContactSnapshot> Upsert(ProfileUpdate update);

    /// <summary>
    /// The contact as of now. Interleaves with the grain's other calls, so that a sidebar read never waits behind a
    /// queue of ingest batches: it answers from memory without awaiting, between the steps of other calls, and shows
    /// the state as the last step left it.
    /// </summary>
    /// <exception cref="ContactNotFoundException"/>
    [Alias("Get"), AlwaysInterleave]
    Task<ContactSnapshot> Get();

    /// <summary>
    /// Activates the contact if it is not active, and does nothing else: an activation replays the journal and delivers
    /// the effects a previous activation stored but did not finish (crash recovery calls it).
    /// </summary>
    [Alias("Wake"), AlwaysInterleave]
    Task Wake();

    /// <summary>
    /// Applies events the caller has already appended to the event journal for this contact, each as of its
    /// <see cref="EngagementEvent.AppendedAt"/> (what a replay of the journal will use), skipping the ones this contact has
    /// seen. Nothing is stored before returning: a card transition's write starts as the call returns, the rest waits for
    /// a checkpoint, and a crash before either is replayed from the journal (the same card, under the same id).
    /// The caller hands the events over: a call within the silo passes the list itself, not a copy, so neither side
    /// changes it after the call.
    /// </summary>
    [Alias("ApplyJournaled")]
    Task ApplyJournaled([Immutable] IReadOnlyList<EngagementEvent> events);

    /// <summary>
    /// The tenant's index asks, at the time it holds for <paramref name="cardId"/>'s escalation: the contact escalates
    /// the card when it is still the active card, nobody has acted on it and its SLA has passed by the contact's clock.
    /// Returns when to ask again (the card is not due yet by this clock), or null when nothing is left to escalate.
    /// </summary>
    [Alias("EscalateIfDue")]
    Task<DateTimeOffset?> EscalateIfDue(string cardId);

    /// <summary>
    /// Puts <paramref name="summary"/>, written by <paramref name="writer"/> at <paramref name="writtenAt"/> from the fact
    /// sheet of version <paramref name="cardVersion"/> of card <paramref name="cardId"/>, on the card, if that card is
    /// still the contact's active one at that version (otherwise it describes facts the card no longer shows, and is
    /// dropped). The card goes one version up, the audit trail records it, and the inbox and the index learn of it as of
    /// any card change. Returns whether it was applied. The caller has checked the text against the fact sheet.
    /// </summary>
    [Alias("ReplaceSummary")]
    Task<bool> ReplaceSummary(string cardId, int cardVersion, string summary, SummaryWriterKind writer, DateTimeOffset writtenAt);

    [Alias("SetAutoEngage")]
    Task<ContactSnapshot> SetAutoEngage(bool enabled, string cardId, string actorUserId);

    [Alias("AssignOwner")]
    Task<ContactSnapshot> AssignOwner(string ownerUserId, string cardId, string actorUserId);

    [Alias("GetHistory")]
    Task<HistoryPage> GetHistory(long afterSequence, int pageSize);

    [Alias("ResumeAutomation")]
    Task<ContactSnapshot> ResumeAutomation(string cardId, string actorUserId);

    [Alias("PauseAllOutreach")]
    Task<ContactSnapshot> PauseAllOutreach(string cardId, string actorUserId, string reason);

    [Alias("ResumeOutreach")]
    Task<ContactSnapshot> ResumeOutreach(string cardId, string actorUserId);

    [Alias("QueueMessage")]
    Task<OutreachMessageState> QueueMessage(NewOutreachMessage message);

    [Alias("ListMessages")]
    Task<OutboxPage> ListMessages(int offset, int pageSize);

    [Alias("CheckOutreach")]
    Task<GateAnswer> CheckOutreach(MessageSource source);

    /// <summary>Marks and returns the messages that may be sent now; each is handed out once.</summary>
    [Alias("ClaimDueMessages")]
    Task<IReadOnlyList<OutreachMessageState>> ClaimDueMessages(int max);
}
