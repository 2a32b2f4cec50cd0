using Handoff.Domain.Cards;
using Handoff.Domain.Contacts;
using Handoff.Domain.Evaluation;
using Handoff.Domain.Model;
using Handoff.Domain.Outreach;
using Handoff.Domain.Scoring;
using Handoff.Domain.Summary;
using Handoff.Grains.Notifications;

namespace Handoff.Grains.Contacts;

/// <summary>
/// One contact's state and the domain types its rules work on (<see cref="HandoffCard"/>, <see cref="OutreachQueue"/>,
/// the audit trail, the event ids seen, the event window), with the changes both <see cref="ContactIngest"/> and
/// <see cref="ContactActions"/> make: the audit trail, holds on the outbound queue, the card's notification, owner and
/// index entry (which carries its escalation time). Every change other grains must learn of is queued in <see cref="ContactState.PendingEffects"/>,
/// in the same state write. No I/O here: the grain loads, calls, saves and delivers.
/// </summary>
internal sealed class ContactModel(ContactState state, string tenantId, string contactId, HandoffEngine engine)
{
    /// <summary>The actor of what the contact does by itself (an event, the SLA), in the audit trail and on the card.</summary>
    public const string SystemActor = "";

    /// <summary>The outbound queue the contact works on; <see cref="ContactState.Outbox"/> is its stored copy, written by <see cref="PrepareForWrite"/>.</summary>
    private readonly OutreachQueue outbox = new(
        state.Outbox.Select(m => m.ToDomain()), engine.Contacts.MaxPendingMessages, engine.Contacts.MaxClaimedMessagesKept);

    private readonly AuditTrail<HistoryRecord> history =
        new(state.History, h => h.Sequence, state.LastHistorySequence, engine.Contacts.MaxHistoryEntries);

    /// <summary>
    /// The recent-event window, the one the contact works on, each event with its appraisal;
    /// <see cref="ContactState.PackedRecentEvents"/> is its stored form, built from it by <see cref="PrepareForWrite"/> for a
    /// write and let go after it. Mapped and appraised from the stored form once per activation, when first needed
    /// (the stored form then goes); kept up to date in place afterwards.
    /// </summary>
    private AppraisedWindow? window;

    public ContactState State { get; } = state;

    /// <summary>The ids of the events already applied, within the dedupe window.</summary>
    public SeenEventIds Seen { get; } = new(state.SeenEvents);

    public CardNotices Notices { get; } = new(contactId, engine.Cards);

    /// <summary>The card when it is active; null when there is none or it was resolved.</summary>
    public CardState? ActiveCard => State.Card is { } card && card.IsActive() ? card : null;

    /// <summary>The active card when nobody has acted on it and it has not been escalated yet: it escalates once its SLA has passed.</summary>
    public CardState? CardAwaitingEscalation => State.Card is { } card && card.ToDomain().AwaitsEscalation ? card : null;

    public AppraisedWindow Window => window ??= LoadWindow();

    public void EnsureExists(DateTimeOffset now)
    {
        if (State.Exists)
        {
            return;
        }

        State.Exists = true;
        State.CreatedAt = now;
        State.UpdatedAt = now;
    }

    public ContactSnapshot Snapshot(DateTimeOffset now)
    {
        var engagement = State.Engagement;
        if (Window.Count > 0)
        {
            // Scores decay with time: the sidebar shows the score as of now, not as of the last event.
            var assessment = engine.Assessor.Assess(Window, now);
            engagement = engagement with
            {
                Score = assessment.Score,
                Trend = assessment.Trend,
                TrendDelta = assessment.TrendDelta,
                Sentiment = assessment.Sentiment,
            };
        }

        return new ContactSnapshot
        {
            TenantId = tenantId,
            ContactId = contactId,
            DisplayName = State.DisplayName,
            OwnerUserId = State.OwnerUserId,
            Stage = State.Stage,
            Phase = State.Phase,
            Engagement = engagement,
            AutoEngage = State.AutoEngage,
            Pause = State.Pause,
            Unsubscribed = State.Unsubscribed,
            Card = State.Card,
            CreatedAt = State.CreatedAt,
            UpdatedAt = State.UpdatedAt,
        };
    }

    /// <summary>
    /// Brings the stored parts up to date before the state is written as a checkpoint of everything applied until
    /// <paramref name="now"/>: the stored copies of the event window and the outbound queue, the event ids still worth
    /// remembering.
    /// </summary>
    public void PrepareForWrite(DateTimeOffset now)
    {
        ForgetExpiredEventIds(now);
        if (window is not null)
        {
            State.PackedRecentEvents = PackedWindow.Pack(window);
        }

        State.Outbox = outbox.Messages.Select(m => m.ToStored()).ToList();

        State.CheckpointedAt = now;
    }

    /// <summary>
    /// Lets go of the stored form of what the activation keeps in a working form (the event window), once it is written:
    /// the working form is the one kept up to date, and <see cref="PrepareForWrite"/> builds the stored form again.
    /// </summary>
    public void ReleaseStoredForms()
    {
        if (window is not null)
        {
            State.PackedRecentEvents = null;
        }
    }

    private AppraisedWindow LoadWindow()
    {
        var loaded = new AppraisedWindow(engine.Scoring);
        if (State.PackedRecentEvents is { } packed)
        {
            foreach (var e in PackedWindow.Unpack(packed))
            {
                loaded.Add(engine.Appraiser.Appraise(e));
            }
        }
        else
        {
            foreach (var e in State.RecentEvents)
            {
                loaded.Add(engine.Appraiser.Appraise(e));
            }
        }

        State.RecentEvents = [];
        State.PackedRecentEvents = null;
        return loaded;
    }

    /// <summary>Forgets the open event ids that <see cref="DedupeHorizon"/> lets go.</summary>
    private void ForgetExpiredEventIds(DateTimeOffset now) => Seen.ForgetOccurredBefore(DedupeHorizon(now));

    /// <summary>
    /// Events that occurred before this may be forgotten by a state written at <paramref name="now"/>. Ingest refuses an
    /// event older than the dedupe window, by the clock of the silo that journals it, so no event sent from now on can
    /// carry such an id. Nor can the journal replay of this state: it reads what was appended since <paramref name="now"/>
    /// less the replay margin (which covers the silos' clock difference), and each of those events occurred at most the
    /// dedupe window before its append. Forgetting at the window itself would let that replay apply an event again.
    /// </summary>
    public DateTimeOffset DedupeHorizon(DateTimeOffset now) => now - engine.Contacts.DedupeWindow - engine.Contacts.JournalReplayMargin;

    /// <returns>The message, and false when its id was queued before (nothing changed).</returns>
    /// <exception cref="OutboxFullException">As many messages wait as may.</exception>
    public (OutreachMessageState Message, bool Queued) QueueMessage(NewOutreachMessage message, DateTimeOffset now)
    {
        var (outcome, queued) = outbox.Queue(message.ToDomain(), Controls(), now);
        if (outcome == QueueOutcome.Full)
        {
            throw new OutboxFullException(engine.Contacts.MaxPendingMessages);
        }

        if (outcome == QueueOutcome.Queued)
        {
            State.UpdatedAt = now;
        }

        return (queued!.ToStored(), outcome == QueueOutcome.Queued);
    }

    public IReadOnlyList<OutreachMessageState> ClaimDue(int max, DateTimeOffset now) =>
        outbox.ClaimDue(max, now).Select(m => m.ToStored()).ToList();

    public OutboxPage Messages(int offset, int pageSize)
    {
        var (messages, next) = outbox.Page(offset, pageSize);
        return new OutboxPage(messages.Select(m => m.ToStored()).ToList(), next);
    }

    public GateAnswer CheckOutreach(MessageSource source) => new(SendGate.Check(Controls(), source));

    /// <summary>Holds or releases the queued messages as the contact's controls (unsubscribe, pause, card, Auto-Engage) now say.</summary>
    public void RefreshHolds() => outbox.RefreshHolds(Controls());

    private OutreachControls Controls() =>
        new(State.Unsubscribed, State.Pause is not null, ActiveCard is not null, State.AutoEngage);

    /// <summary>A page of the audit trail after <paramref name="afterSequence"/>.</summary>
    public HistoryPage HistoryAfter(long afterSequence, int pageSize)
    {
        var (entries, next) = history.PageAfter(afterSequence, pageSize);
        return new HistoryPage(entries, next);
    }

    public void AddHistory(HistoryKind kind, string actor, DateTimeOffset now, string detail) =>
        State.LastHistorySequence = history.Append(sequence =>
            new HistoryRecord(sequence, kind, now, actor, State.Card?.CardId ?? "", State.Card?.Version ?? 0, detail));

    /// <summary>A card lists what was done while it was active; later actions are in the audit trail only.</summary>
    public void RecordCardAction(CardActionKind kind, string actor, DateTimeOffset now)
    {
        if (State.Card?.ToDomain() is { IsActive: true } card)
        {
            State.Card = card.WithAction(kind, actor, now).ToStored();
        }
    }

    public void Reassign(string ownerUserId, string actor, DateTimeOffset now)
    {
        var previous = State.OwnerUserId;
        State.OwnerUserId = ownerUserId;
        RecordCardAction(CardActionKind.AssignOwner, actor, now);
        AddHistory(HistoryKind.OwnerAssigned, actor, now,
            $"Assigned to {Describe(ownerUserId)} (was {Describe(previous)}).");

        if (ActiveCard is { } card)
        {
            // The unresolved notification follows the contact: resolved as reassigned in the old inbox, placed anew in the new one.
            var oldInbox = State.CardInbox ?? InboxAddress.ForOwner(previous);
            State.PendingEffects.Add(new ResolveNotification(oldInbox, card.CardId, NotificationResolution.Reassigned, now));
            PlaceCardNotification(card, now);
            IndexActiveCard();
        }

        static string Describe(string owner) => owner.Length == 0 ? "nobody" : owner;
    }

    /// <summary>The id the contact's next card takes: the same on every replay that raises it.</summary>
    public string NextCardId() => CardIds.Of(tenantId, contactId, State.CardsRaised + 1);

    /// <summary>Puts the card's notification into the owner's inbox under a new delivery id.</summary>
    public void PlaceCardNotification(CardState card, DateTimeOffset now)
    {
        var inbox = InboxAddress.ForOwner(State.OwnerUserId);
        State.CardInbox = inbox;
        State.CardDeliveryId = $"{card.CardId}:{now.UtcTicks}:{State.LastHistorySequence}";
        State.PendingEffects.Add(new DeliverNotification(inbox, Notices.Notice(State, card, State.CardDeliveryId)));
    }

    /// <summary>Leaves the card, as it now is, for a language model to summarise outside this turn (when one is configured).</summary>
    public void RequestModelSummary(CardState card, FactSheet facts) =>
        engine.ModelSummaries.Request(new ModelSummaryRequest(tenantId, contactId, card.CardId, card.Version, facts));

    /// <summary>Queues the active card's index entry as it stands now (its escalation time included). False without an active card.</summary>
    public bool IndexActiveCard()
    {
        if (ActiveCard is not { } card)
        {
            return false;
        }

        State.PendingEffects.Add(new IndexActiveHandoff(Notices.IndexEntry(State, card)));
        return true;
    }

    /// <summary>When the active card escalates: its creation plus the SLA.</summary>
    public DateTimeOffset EscalationDueAt(CardState card) => card.ToDomain().EscalationDueAt(engine.Cards.EscalationSla);

    /// <summary>"4 h", "90 min", "30 s": how long the SLA is, as a title and the audit trail say it.</summary>
    public static string DescribeSla(TimeSpan span) => span switch
    {
        _ when span.Ticks % TimeSpan.TicksPerHour == 0 && span >= TimeSpan.FromHours(1) => $"{(long)span.TotalHours} h",
        _ when span.Ticks % TimeSpan.TicksPerMinute == 0 && span >= TimeSpan.FromMinutes(1) => $"{(long)span.TotalMinutes} min",
        _ => $"{Math.Round(span.TotalSeconds, 1).ToString(System.Globalization.CultureInfo.InvariantCulture)} s",
    };
}
