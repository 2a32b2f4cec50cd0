using Handoff.Domain.Cards;
using Handoff.Domain.Contacts;
using Handoff.Domain.Model;
using Handoff.Domain.Outreach;
using Handoff.Domain.Scoring;
using Handoff.Domain.Summary;
using Handoff.Domain.Triggers;
using Handoff.Grains.Notifications;

namespace Handoff.Grains.Contacts;

/// <summary>
/// One contact's rules applied to its state: events in, card transitions, actions, the outbound queue. The parts with
/// rules of their own are domain types (<see cref="HandoffCard"/>, <see cref="OutreachQueue"/>, the audit trail, the
/// event ids seen, the event window); this class orchestrates them and queues in
/// <see cref="ContactState.PendingEffects"/> every change other grains must learn of, in the same state write. No I/O
/// here: the grain loads, calls, saves and delivers.
/// </summary>
internal sealed class ContactModel(ContactState state, string tenantId, string contactId, HandoffEngine engine)
{
    private const string SystemActor = "";

    private readonly SeenEventIds seen = new(state.SeenEvents);

    /// <summary>The outbound queue the contact works on; <see cref="ContactState.Outbox"/> is its stored copy, written by <see cref="PrepareForWrite"/>.</summary>
    private readonly OutreachQueue outbox = new(
        state.Outbox.Select(m => m.ToDomain()), engine.Contacts.MaxPendingMessages, engine.Contacts.MaxClaimedMessagesKept);

    private readonly CardNotices notices = new(contactId, engine.Cards);

    private readonly AuditTrail<HistoryRecord> history =
        new(state.History, h => h.Sequence, state.LastHistorySequence, engine.Contacts.MaxHistoryEntries);

    /// <summary>
    /// The recent-event window, the one the contact works on; <see cref="ContactState.RecentEvents"/> is its stored copy,
    /// written from it by <see cref="PrepareForWrite"/>. Mapped from the stored copy once per activation, when first needed.
    /// </summary>
    private List<EngagementEvent>? window;

    public ContactState State { get; } = state;

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
            var assessment = engine.Scorer.Assess(Window, now);
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
            State.RecentEvents = window.ConvertAll(e => e.ToStored());
        }

        State.Outbox = outbox.Messages.Select(m => m.ToStored()).ToList();

        State.CheckpointedAt = now;
    }

    /// <summary>Forgets event ids old enough that an event carrying them is refused at ingest anyway.</summary>
    public void ForgetExpiredEventIds(DateTimeOffset now)
    {
        foreach (var (eventId, occurredAt) in State.LegacySeenEventIds)
        {
            seen.TryRemember(eventId, occurredAt);
        }

        State.LegacySeenEventIds.Clear();
        seen.ForgetOccurredBefore(now - engine.Contacts.DedupeWindow);
    }

    /// <summary>
    /// Applies the journaled events whose ids were not seen before, batch by batch (a batch: the events of one append
    /// time) in the order of their append times, each batch as of its append time. The journal gives a replay the same
    /// batches and times, so the live path and every replay derive the same contact, times included. An event without
    /// an append time (from a silo of the previous version) is applied as of <paramref name="now"/>. Returns how many
    /// were new.
    /// </summary>
    public async ValueTask<IngestOutcome> IngestAsync(IReadOnlyList<StoredEvent> events, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var accepted = 0;
        foreach (var (appendedAt, batch) in AppendBatches.Of(events, e => e.AppendedAt, now))
        {
            accepted += await IngestBatchAsync(batch, appendedAt, cancellationToken);
        }

        return new IngestOutcome(accepted, events.Count - accepted);
    }

    /// <summary>Applies one batch's events whose ids were not seen before, as of its append time; returns how many were new.</summary>
    private async ValueTask<int> IngestBatchAsync(IReadOnlyList<StoredEvent> events, DateTimeOffset appendedAt, CancellationToken cancellationToken)
    {
        var fresh = new List<StoredEvent>(events.Count);
        foreach (var e in events)
        {
            if (seen.TryRemember(e.EventId, e.OccurredAt))
            {
                fresh.Add(e);
            }
        }

        if (fresh.Count == 0)
        {
            return 0;
        }

        EnsureExists(appendedAt);
        foreach (var e in fresh.OrderBy(e => e.OccurredAt))
        {
            ApplyProfileFacts(e, appendedAt);
        }

        window = RecentEventWindow.Trim(Window.Concat(fresh.Select(e => e.ToDomain())), e => e, appendedAt, engine.Scoring);
        var latest = fresh.Max(e => e.OccurredAt);
        State.Engagement = State.Engagement with
        {
            TotalEventCount = State.Engagement.TotalEventCount + fresh.Count,
            LastEventAt = State.Engagement.LastEventAt is { } last && last > latest ? last : latest,
        };

        await EvaluateAsync(appendedAt, cancellationToken);
        return fresh.Count;
    }

    public async ValueTask UpsertAsync(ProfileUpdate update, DateTimeOffset now, CancellationToken cancellationToken)
    {
        EnsureExists(now);
        if (update.DisplayName is { } name && name != State.DisplayName)
        {
            State.DisplayName = name;
            if (State.Card is { IsActive: true } active)
            {
                // The tenant's list of active handoffs shows the contact's name.
                State.PendingEffects.Add(new IndexActiveHandoff(notices.IndexEntry(State, active)));
            }
        }

        if (update.Stage is { } stage)
        {
            State.Stage = stage;
            State.StageChangedAt = now;
        }

        if (update.Phase is { } phase)
        {
            State.Phase = phase;
            State.PhaseChangedAt = now;
        }

        if (update.OwnerUserId is { } owner && owner != State.OwnerUserId)
        {
            Reassign(owner, update.ActorUserId, now);
            State.OwnerChangedAt = now;
        }

        State.UpdatedAt = now;
        if (Window.Count > 0)
        {
            // A phase or stage change can make a reason fire (BUYING_SIGNALS needs the WIN phase).
            await EvaluateAsync(now, cancellationToken);
        }
    }

    /// <summary>Throws when <paramref name="cardId"/> is not the card the contact shows now (empty: none).</summary>
    public void EnsureCurrentCard(string cardId)
    {
        if (!HandoffCard.IsCurrent(cardId, State.Card?.CardId))
        {
            throw new StaleCardException(cardId, State.Card?.CardId ?? "");
        }
    }

    /// <returns>False when the card was already resolved (a repeated press).</returns>
    public bool ResumeAutomation(string cardId, string actor, DateTimeOffset now)
    {
        if (cardId.Length == 0)
        {
            throw new StaleCardException(cardId, State.Card?.CardId ?? "");
        }

        EnsureCurrentCard(cardId);
        var card = State.Card!;
        if (!card.IsActive)
        {
            return false;
        }

        if (card.AwaitsEscalation)
        {
            State.PendingEffects.Add(new CancelEscalation(card.CardId));
        }

        State.Card = card.ToDomain().Resume(actor, now).ToStored();
        State.LastResumedReasons = card.Reasons.Select(r => r.Reason).ToList();
        State.LastResumedAt = now;
        State.AutoEngage = true;
        State.Pause = null;
        State.Engagement = State.Engagement with { Recommendation = Recommendation.ContinueAutomation, Reasons = [] };
        AddHistory(HistoryKind.AutomationResumed, actor, now, "Resume SI Automation: automation on, outreach resumed, held messages released.");
        AddHistory(HistoryKind.CardResolved, actor, now, "Card resolved: SI automation resumed.");
        State.PendingEffects.Add(new ResolveNotification(State.CardInbox ?? InboxAddress.ForOwner(State.OwnerUserId), card.CardId, NotificationResolution.CardResolved, now));
        if (card.EscalatedAt is not null)
        {
            State.PendingEffects.Add(new ResolveNotification(InboxAddress.Team, card.CardId, NotificationResolution.CardResolved, now));
        }

        State.PendingEffects.Add(new UnindexHandoff(contactId, card.CardId));
        State.CardInbox = null;
        RefreshHolds();
        State.UpdatedAt = now;
        return true;
    }

    public bool PauseAllOutreach(string cardId, string actor, string reason, DateTimeOffset now)
    {
        EnsureCurrentCard(cardId);
        if (State.Pause is not null)
        {
            return false;
        }

        State.Pause = new OutreachPauseState(actor, now, reason);
        RecordCardAction(CardActionKind.PauseAllOutreach, actor, now);
        MarkAttended(now);
        AddHistory(HistoryKind.OutreachPaused, actor, now,
            reason.Length == 0 ? "Pause All Outreach: every queued message held." : $"Pause All Outreach: every queued message held ({reason}).");
        RefreshHolds();
        State.UpdatedAt = now;
        return true;
    }

    public bool ResumeOutreach(string cardId, string actor, DateTimeOffset now)
    {
        EnsureCurrentCard(cardId);
        if (State.Pause is null)
        {
            return false;
        }

        State.Pause = null;
        RecordCardAction(CardActionKind.ResumeOutreach, actor, now);
        MarkAttended(now);
        AddHistory(HistoryKind.OutreachResumed, actor, now, "Outreach resumed.");
        RefreshHolds();
        State.UpdatedAt = now;
        return true;
    }

    public bool SetAutoEngage(bool enabled, string cardId, string actor, DateTimeOffset now)
    {
        EnsureCurrentCard(cardId);
        if (State.AutoEngage == enabled)
        {
            return false;
        }

        State.AutoEngage = enabled;
        RecordCardAction(enabled ? CardActionKind.AutoEngageOn : CardActionKind.AutoEngageOff, actor, now);
        MarkAttended(now);
        AddHistory(enabled ? HistoryKind.AutoEngageOn : HistoryKind.AutoEngageOff, actor, now,
            enabled ? "Auto-Engage turned on." : "Auto-Engage turned off.");
        RefreshHolds();
        State.UpdatedAt = now;
        return true;
    }

    public bool AssignOwner(string ownerUserId, string cardId, string actor, DateTimeOffset now)
    {
        EnsureCurrentCard(cardId);
        if (State.OwnerUserId == ownerUserId)
        {
            return false;
        }

        Reassign(ownerUserId, actor, now);
        MarkAttended(now);
        State.OwnerChangedAt = now;
        State.UpdatedAt = now;
        return true;
    }

    /// <summary>When the active card escalates: its creation plus the SLA.</summary>
    public DateTimeOffset EscalationDueAt(CardState card) => card.ToDomain().EscalationDueAt(engine.Cards.EscalationSla);

    /// <summary>
    /// Escalates the active card to the tenant's team inbox when it has waited past the SLA with nobody acting on it
    /// and has not been escalated yet. Returns false, changing nothing, otherwise.
    /// </summary>
    public bool Escalate(DateTimeOffset now)
    {
        var sla = engine.Cards.EscalationSla;
        if (State.Card?.ToDomain() is not { } current || !current.IsDueForEscalation(now, sla))
        {
            return false;
        }

        var card = current.Escalated(now, sla).ToStored();
        State.Card = card;
        AddHistory(HistoryKind.Escalated, SystemActor, now,
            $"Escalated to the team inbox: nobody acted on the card within {DescribeSla(engine.Cards.EscalationSla)}.");
        State.PendingEffects.Add(new DeliverNotification(InboxAddress.Team, notices.EscalationNotice(State, card, now)));
        State.PendingEffects.Add(new CancelEscalation(card.CardId));
        State.UpdatedAt = now;
        return true;
    }

    /// <summary>
    /// An active card awaiting escalation whose reminder was never asked for (it was stored before escalations
    /// existed): asks for it now. Returns whether it changed anything.
    /// </summary>
    public bool EnsureEscalationScheduled()
    {
        if (State.Card is not { AwaitsEscalation: true } card || State.EscalationScheduledFor == card.CardId)
        {
            return false;
        }

        ScheduleEscalationOf(card);
        return true;
    }

    /// <summary>"4 h", "90 min", "30 s": how long the SLA is, as a title and the audit trail say it.</summary>
    public static string DescribeSla(TimeSpan span) => span switch
    {
        _ when span.Ticks % TimeSpan.TicksPerHour == 0 && span >= TimeSpan.FromHours(1) => $"{(long)span.TotalHours} h",
        _ when span.Ticks % TimeSpan.TicksPerMinute == 0 && span >= TimeSpan.FromMinutes(1) => $"{(long)span.TotalMinutes} min",
        _ => $"{Math.Round(span.TotalSeconds, 1).ToString(System.Globalization.CultureInfo.InvariantCulture)} s",
    };

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

    private OutreachControls Controls() =>
        new(State.Unsubscribed, State.Pause is not null, State.Card?.IsActive == true, State.AutoEngage);

    private void RefreshHolds() => outbox.RefreshHolds(Controls());

    /// <summary>
    /// Stage, phase, owner and unsubscribe events change the profile unless a newer fact is already known. What the
    /// contact records of it (the audit trail, the card) is dated <paramref name="appendedAt"/>, when Handoff learned of
    /// the event; the event's own time orders the facts.
    /// </summary>
    private void ApplyProfileFacts(StoredEvent e, DateTimeOffset appendedAt)
    {
        switch (e.Type)
        {
            case EventType.StageChanged when e.Stage is { } stage && IsNewer(e.OccurredAt, State.StageChangedAt):
                State.Stage = stage;
                State.StageChangedAt = e.OccurredAt;
                break;
            case EventType.PhaseChanged when e.Phase is { } phase && IsNewer(e.OccurredAt, State.PhaseChangedAt):
                State.Phase = phase;
                State.PhaseChangedAt = e.OccurredAt;
                break;
            case EventType.OwnerChanged when IsNewer(e.OccurredAt, State.OwnerChangedAt):
                State.OwnerChangedAt = e.OccurredAt;
                if ((e.OwnerUserId ?? "") != State.OwnerUserId)
                {
                    Reassign(e.OwnerUserId ?? "", SystemActor, appendedAt);
                }

                break;
            case EventType.Unsubscribed when !State.Unsubscribed:
                State.Unsubscribed = true;
                AddHistory(HistoryKind.Unsubscribed, SystemActor, appendedAt, "The contact unsubscribed: every message is held and no handoff will be raised.");
                RefreshHolds();
                break;
        }

        // Never back: a batch journaled before the contact's latest change may reach it after that change.
        if (appendedAt > State.UpdatedAt)
        {
            State.UpdatedAt = appendedAt;
        }

        static bool IsNewer(DateTimeOffset at, DateTimeOffset? known) => known is null || at >= known;
    }

    private void Reassign(string ownerUserId, string actor, DateTimeOffset now)
    {
        var previous = State.OwnerUserId;
        State.OwnerUserId = ownerUserId;
        RecordCardAction(CardActionKind.AssignOwner, actor, now);
        AddHistory(HistoryKind.OwnerAssigned, actor, now,
            $"Assigned to {Describe(ownerUserId)} (was {Describe(previous)}).");

        if (State.Card is { IsActive: true } card)
        {
            // The unresolved notification follows the contact: resolved as reassigned in the old inbox, placed anew in the new one.
            var oldInbox = State.CardInbox ?? InboxAddress.ForOwner(previous);
            State.PendingEffects.Add(new ResolveNotification(oldInbox, card.CardId, NotificationResolution.Reassigned, now));
            PlaceCardNotification(card, now);
            State.PendingEffects.Add(new IndexActiveHandoff(notices.IndexEntry(State, card)));
        }

        static string Describe(string owner) => owner.Length == 0 ? "nobody" : owner;
    }

    private async ValueTask EvaluateAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var events = Window;
        var assessment = engine.Scorer.Assess(events, now);
        var profile = Profile();
        var findings = engine.Triggers.Evaluate(profile, events, assessment, now, State.LastResumedAt);
        var cooldown = State.LastResumedAt is { } resumedAt ? new ResolvedCardCooldown(State.LastResumedReasons, resumedAt) : null;
        var activeReasons = State.Card is { IsActive: true } active ? active.Reasons.Select(r => r.Reason).ToList() : null;
        var decision = engine.CardRules.Decide(new CardDecisionInput(activeReasons, cooldown, State.Unsubscribed, findings, now));

        switch (decision)
        {
            case CardDecision.Raise raise:
                await RaiseCardAsync(raise.Reasons, assessment, profile, events, now, cancellationToken);
                break;
            case CardDecision.Update update:
                await UpdateCardAsync(update.AddedReasons, assessment, profile, events, now, cancellationToken);
                break;
        }

        var card = State.Card;
        State.Engagement = State.Engagement with
        {
            Score = assessment.Score,
            Trend = assessment.Trend,
            TrendDelta = assessment.TrendDelta,
            Sentiment = assessment.Sentiment,
            Recommendation = card is { IsActive: true } ? Recommendation.HumanHandoff : Recommendation.ContinueAutomation,
            Reasons = card is { IsActive: true } ? card.Reasons : [],
            RecentEventCount = Window.Count,
        };
    }

    private async ValueTask RaiseCardAsync(
        IReadOnlyList<ReasonFinding> findings, EngagementAssessment assessment, ContactProfile profile,
        IReadOnlyList<EngagementEvent> events, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var summary = await engine.SummaryWriter.WriteAsync(new SummaryInput(profile, assessment, findings, events, now), cancellationToken);
        var card = HandoffCard.Raise(Guid.NewGuid().ToString("N"), engine.Cards.Label, summary, findings,
            assessment.Score, assessment.Trend, State.Phase, State.Stage, now).ToStored();
        State.Card = card;
        State.CardsRaised++;
        AddHistory(HistoryKind.CardRaised, SystemActor, now,
            $"Handoff raised for {DescribeReasons(card.Reasons)} at score {card.ScoreAtRaise} ({Domain.Text.ValueWording.Trend(card.TrendAtRaise).Word}).");
        PlaceCardNotification(card, now);
        State.PendingEffects.Add(new IndexActiveHandoff(notices.IndexEntry(State, card)));
        ScheduleEscalationOf(card);
        RefreshHolds();
    }

    private void ScheduleEscalationOf(CardState card)
    {
        State.EscalationScheduledFor = card.CardId;
        State.PendingEffects.Add(new ScheduleEscalation(card.CardId, EscalationDueAt(card)));
    }

    /// <summary>
    /// A person acted on the active card (a sidebar action that changed something): the first time, the card records
    /// it, and a card not escalated yet will not be, so its reminder goes.
    /// </summary>
    private void MarkAttended(DateTimeOffset now)
    {
        if (State.Card is { IsActive: true, AttendedAt: null } card)
        {
            if (card.AwaitsEscalation)
            {
                State.PendingEffects.Add(new CancelEscalation(card.CardId));
            }

            State.Card = card.ToDomain().Attended(now).ToStored();
        }
    }

    private async ValueTask UpdateCardAsync(
        IReadOnlyList<ReasonFinding> added, EngagementAssessment assessment, ContactProfile profile,
        IReadOnlyList<EngagementEvent> events, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var card = State.Card!;
        var allFindings = card.Reasons.Select(r => new ReasonFinding(r.Reason, r.Evidence)).Concat(added).ToList();
        var summary = await engine.SummaryWriter.WriteAsync(new SummaryInput(profile, assessment, allFindings, events, now), cancellationToken);
        card = card.ToDomain().WithAddedReasons(added, summary, now).ToStored();
        State.Card = card;
        AddHistory(HistoryKind.CardUpdated, SystemActor, now, $"New reason on the card: {DescribeReasons(added.Select(f => f.Reason))}.");
        State.PendingEffects.Add(new DeliverNotification(State.CardInbox ?? InboxAddress.ForOwner(State.OwnerUserId), notices.Notice(State, card, State.CardDeliveryId)));
        State.PendingEffects.Add(new IndexActiveHandoff(notices.IndexEntry(State, card)));
    }

    /// <summary>Puts the card's notification into the owner's inbox under a new delivery id.</summary>
    private void PlaceCardNotification(CardState card, DateTimeOffset now)
    {
        var inbox = InboxAddress.ForOwner(State.OwnerUserId);
        State.CardInbox = inbox;
        State.CardDeliveryId = $"{card.CardId}:{now.UtcTicks}:{State.LastHistorySequence}";
        State.PendingEffects.Add(new DeliverNotification(inbox, notices.Notice(State, card, State.CardDeliveryId)));
    }

    /// <summary>A card lists what was done while it was active; later actions are in the audit trail only.</summary>
    private void RecordCardAction(CardActionKind kind, string actor, DateTimeOffset now)
    {
        if (State.Card is { IsActive: true } card)
        {
            State.Card = card.ToDomain().WithAction(kind, actor, now).ToStored();
        }
    }

    private void AddHistory(HistoryKind kind, string actor, DateTimeOffset now, string detail) =>
        State.LastHistorySequence = history.Append(sequence =>
            new HistoryRecord(sequence, kind, now, actor, State.Card?.CardId ?? "", State.Card?.Version ?? 0, detail));

    /// <summary>A page of the audit trail after <paramref name="afterSequence"/>.</summary>
    public HistoryPage HistoryAfter(long afterSequence, int pageSize)
    {
        var (entries, next) = history.PageAfter(afterSequence, pageSize);
        return new HistoryPage(entries, next);
    }

    private List<EngagementEvent> Window => window ??= State.RecentEvents.ConvertAll(e => e.ToDomain());

    private ContactProfile Profile() => new(contactId, State.DisplayName, State.OwnerUserId, State.Stage, State.Phase);

    private static string DescribeReasons(IEnumerable<ReasonRecord> reasons) => DescribeReasons(reasons.Select(r => r.Reason));

    private static string DescribeReasons(IEnumerable<HandoffReason> reasons) => string.Join(", ", reasons.Select(r => Domain.Text.ReasonWording.Of(r).Label));
}
