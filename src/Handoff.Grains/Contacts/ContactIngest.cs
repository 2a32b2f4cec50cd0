using Handoff.Domain.Cards;
using Handoff.Domain.Contacts;
using Handoff.Domain.Model;
using Handoff.Domain.Scoring;
using Handoff.Domain.Summary;
using Handoff.Domain.Triggers;
using Handoff.Grains.Notifications;

namespace Handoff.Grains.Contacts;

/// <summary>
/// What the contact learns and what it decides from it: journaled events (deduplicated, applied batch by batch as of
/// their append times) and profile updates change the profile and the event window; then the score is assessed, the
/// triggers evaluated, and a card raised or given new reasons.
/// </summary>
internal sealed class ContactIngest(ContactModel model, string contactId, HandoffEngine engine)
{
    private ContactState State => model.State;

    /// <summary>
    /// Applies the journaled events whose ids were not seen before, batch by batch (a batch: the events of one append
    /// time) in the order of their append times, each batch as of its append time. The journal gives a replay the same
    /// batches and times, so the live path and every replay derive the same contact, times included. An event without
    /// an append time (from a silo of the previous version) is applied as of <paramref name="now"/>. Returns how many
    /// were new.
    /// </summary>
    public async ValueTask<IngestOutcome> IngestAsync(IReadOnlyList<EngagementEvent> events, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var accepted = 0;
        var batches = AppendBatches.Of(events, AppendedAtOf, now);
        for (var i = 0; i < batches.Count; i++)
        {
            accepted += await IngestBatchAsync(batches[i].Items, batches[i].AppendedAt, cancellationToken);
        }

        return new IngestOutcome(accepted, events.Count - accepted);
    }

    private static DateTimeOffset? AppendedAtOf(EngagementEvent e) => e.AppendedAt;

    /// <summary>Applies one batch's events whose ids were not seen before, as of its append time; returns how many were new.</summary>
    private async ValueTask<int> IngestBatchAsync(IReadOnlyList<EngagementEvent> events, DateTimeOffset appendedAt, CancellationToken cancellationToken)
    {
        var fresh = new List<EngagementEvent>(events.Count);
        List<EngagementEvent>? profileFacts = null;
        DateTimeOffset? latest = null;
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            if (!model.Seen.TryRemember(e.EventId, e.OccurredAt))
            {
                continue;
            }

            fresh.Add(e);
            if (latest is null || e.OccurredAt > latest)
            {
                latest = e.OccurredAt;
            }

            if (IsProfileFact(e.Type))
            {
                (profileFacts ??= []).Add(e);
            }
        }

        if (fresh.Count == 0)
        {
            return 0;
        }

        model.EnsureExists(appendedAt);
        if (State.NewestOpenSeenAppendedAt is not { } newest || newest < appendedAt)
        {
            State.NewestOpenSeenAppendedAt = appendedAt;
        }

        if (profileFacts is not null)
        {
            // In the order they occurred (a stable sort: facts of the same moment keep the batch's order); few batches carry any.
            foreach (var e in profileFacts.OrderBy(e => e.OccurredAt))
            {
                ApplyProfileFact(e, appendedAt);
            }
        }

        // Never back: a batch journaled before the contact's latest change may reach it after that change.
        if (appendedAt > State.UpdatedAt)
        {
            State.UpdatedAt = appendedAt;
        }

        // Each new event is appraised once, here, and inserted where it belongs; no event already kept is read again.
        var window = model.Window;
        foreach (var e in fresh)
        {
            window.Add(engine.Appraiser.Appraise(e));
        }

        window.Trim(appendedAt);
        await EvaluateAsync(appendedAt, new NewEvents(fresh.Count, latest), cancellationToken);
        return fresh.Count;
    }

    public async ValueTask UpsertAsync(ProfileUpdate update, DateTimeOffset now, CancellationToken cancellationToken)
    {
        model.EnsureExists(now);
        if (update.DisplayName is { } name && name != State.DisplayName)
        {
            State.DisplayName = name;
            // The tenant's list of active handoffs shows the contact's name.
            model.IndexActiveCard();
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
            model.Reassign(owner, update.ActorUserId, now);
            State.OwnerChangedAt = now;
        }

        State.UpdatedAt = now;
        if (model.Window.Count > 0)
        {
            // A phase or stage change can make a reason fire (BUYING_SIGNALS needs the WIN phase).
            await EvaluateAsync(now, NewEvents.None, cancellationToken);
        }
    }

    /// <summary>The kinds of event that change the contact's profile (<see cref="ApplyProfileFact"/>).</summary>
    private static bool IsProfileFact(EventType type) =>
        type is EventType.StageChanged or EventType.PhaseChanged or EventType.OwnerChanged or EventType.Unsubscribed;

    /// <summary>
    /// Stage, phase, owner and unsubscribe events change the profile unless a newer fact is already known. What the
    /// contact records of it (the audit trail, the card) is dated <paramref name="appendedAt"/>, when Handoff learned of
    /// the event; the event's own time orders the facts.
    /// </summary>
    private void ApplyProfileFact(EngagementEvent e, DateTimeOffset appendedAt)
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
                    model.Reassign(e.OwnerUserId ?? "", ContactModel.SystemActor, appendedAt);
                }

                break;
            case EventType.Unsubscribed when !State.Unsubscribed:
                State.Unsubscribed = true;
                model.AddHistory(HistoryKind.Unsubscribed, ContactModel.SystemActor, appendedAt, "The contact unsubscribed: every message is held and no handoff will be raised.");
                model.RefreshHolds();
                break;
        }

        static bool IsNewer(DateTimeOffset at, DateTimeOffset? known) => known is null || at >= known;
    }

    /// <summary>What a batch added to the contact's counts: how many new events, and the latest time among them.</summary>
    private readonly record struct NewEvents(int Count, DateTimeOffset? Latest)
    {
        public static NewEvents None => new(0, null);
    }

    private async ValueTask EvaluateAsync(DateTimeOffset now, NewEvents added, CancellationToken cancellationToken)
    {
        var window = model.Window;
        var assessment = engine.Assessor.Assess(window, now);
        var profile = Profile();
        List<HandoffReason>? activeReasons = null;
        if (model.ActiveCard is { } active)
        {
            activeReasons = new List<HandoffReason>(active.Reasons.Count);
            foreach (var reason in active.Reasons)
            {
                activeReasons.Add(reason.Reason);
            }
        }

        var findings = engine.WindowTriggers.Evaluate(profile, window, assessment, now, State.LastResumedAt, activeReasons);
        var cooldown = State.LastResumedAt is { } resumedAt ? new ResolvedCardCooldown(State.LastResumedReasons, resumedAt) : null;
        var decision = engine.CardRules.Decide(new CardDecisionInput(activeReasons, cooldown, State.Unsubscribed, findings, now));

        switch (decision)
        {
            case CardDecision.Raise raise:
                // The plain list of events, for the summary, is built only now that a card is raised or updated.
                await RaiseCardAsync(raise.Reasons, assessment, profile, window.Events, now, cancellationToken);
                break;
            case CardDecision.Update update:
                await UpdateCardAsync(update.AddedReasons, assessment, profile, window.Events, now, cancellationToken);
                break;
        }

        var card = model.ActiveCard;
        var engagement = State.Engagement;
        State.Engagement = engagement with
        {
            TotalEventCount = engagement.TotalEventCount + added.Count,
            LastEventAt = added.Latest is { } latest && (engagement.LastEventAt is not { } last || last <= latest) ? latest : engagement.LastEventAt,
            Score = assessment.Score,
            Trend = assessment.Trend,
            TrendDelta = assessment.TrendDelta,
            Sentiment = assessment.Sentiment,
            Recommendation = card is not null ? Recommendation.HumanHandoff : Recommendation.ContinueAutomation,
            Reasons = card is not null ? card.Reasons : [],
            RecentEventCount = window.Count,
        };
    }

    private async ValueTask RaiseCardAsync(
        IReadOnlyList<ReasonFinding> findings, EngagementAssessment assessment, ContactProfile profile,
        IReadOnlyList<EngagementEvent> events, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var facts = FactSheet.From(new SummaryInput(profile, assessment, findings, events, now));
        var summary = await engine.SummaryWriter.WriteAsync(facts, cancellationToken);
        var card = HandoffCard.Raise(model.NextCardId(), engine.Cards.Label, summary, findings,
            assessment.Score, assessment.Trend, State.Phase, State.Stage, now, facts).ToStored();
        State.Card = card;
        State.CardsRaised++;
        model.AddHistory(HistoryKind.CardRaised, ContactModel.SystemActor, now,
            $"Handoff raised for {DescribeReasons(card.Reasons)} at score {card.ScoreAtRaise} ({Domain.Text.ValueWording.Trend(card.TrendAtRaise).Word}).");
        model.PlaceCardNotification(card, now);
        model.IndexActiveCard();
        model.RefreshHolds();
        model.RequestModelSummary(card, facts);
    }

    private async ValueTask UpdateCardAsync(
        IReadOnlyList<ReasonFinding> added, EngagementAssessment assessment, ContactProfile profile,
        IReadOnlyList<EngagementEvent> events, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var card = State.Card!;
        var allFindings = card.Reasons.Select(r => new ReasonFinding(r.Reason, r.Evidence)).Concat(added).ToList();
        var facts = FactSheet.From(new SummaryInput(profile, assessment, allFindings, events, now));
        var summary = await engine.SummaryWriter.WriteAsync(facts, cancellationToken);
        card = card.ToDomain().WithAddedReasons(added, summary, now, facts).ToStored();
        State.Card = card;
        model.AddHistory(HistoryKind.CardUpdated, ContactModel.SystemActor, now, $"New reason on the card: {DescribeReasons(added.Select(f => f.Reason))}.");
        State.PendingEffects.Add(new DeliverNotification(State.CardInbox ?? InboxAddress.ForOwner(State.OwnerUserId), model.Notices.Notice(State, card, State.CardDeliveryId)));
        model.IndexActiveCard();
        model.RequestModelSummary(card, facts);
    }

    private ContactProfile Profile() => new(contactId, State.DisplayName, State.OwnerUserId, State.Stage, State.Phase);

    private static string DescribeReasons(IEnumerable<ReasonRecord> reasons) => DescribeReasons(reasons.Select(r => r.Reason));

    private static string DescribeReasons(IEnumerable<HandoffReason> reasons) => string.Join(", ", reasons.Select(r => Domain.Text.ReasonWording.Of(r).Label));
}
