using Handoff.Domain.Cards;
using Handoff.Domain.Model;
using Handoff.Grains.Notifications;

namespace Handoff.Grains.Contacts;

/// <summary>
/// What a person does from the sidebar, each on the card the person saw (a stale card id is refused): Resume SI
/// Automation, the outreach controls (Pause All Outreach, Resume Outreach, Auto-Engage), assigning an owner; and what
/// the card does when nobody acts: escalation to the team inbox once its SLA has passed.
/// </summary>
internal sealed class ContactActions(ContactModel model, string contactId, HandoffEngine engine)
{
    private ContactState State => model.State;

    /// <summary>Throws when <paramref name="cardId"/> is not the card the contact shows now (empty: none).</summary>
    private void EnsureCurrentCard(string cardId)
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
        var card = State.Card!.ToDomain();
        if (!card.IsActive)
        {
            return false;
        }

        State.Card = card.Resume(actor, now).ToStored();
        State.LastResumedReasons = card.Reasons.Select(r => r.Reason).ToList();
        State.LastResumedAt = now;
        State.AutoEngage = true;
        State.Pause = null;
        State.Engagement = State.Engagement with { Recommendation = Recommendation.ContinueAutomation, Reasons = [] };
        model.AddHistory(HistoryKind.AutomationResumed, actor, now, "Resume SI Automation: automation on, outreach resumed, held messages released.");
        model.AddHistory(HistoryKind.CardResolved, actor, now, "Card resolved: SI automation resumed.");
        State.PendingEffects.Add(new ResolveNotification(State.CardInbox ?? InboxAddress.ForOwner(State.OwnerUserId), card.CardId, NotificationResolution.CardResolved, now));
        if (card.EscalatedAt is not null)
        {
            State.PendingEffects.Add(new ResolveNotification(InboxAddress.Team, card.CardId, NotificationResolution.CardResolved, now));
        }

        State.PendingEffects.Add(new UnindexHandoff(contactId, card.CardId));
        State.CardInbox = null;
        model.RefreshHolds();
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
        model.RecordCardAction(CardActionKind.PauseAllOutreach, actor, now);
        MarkAttended(now);
        model.AddHistory(HistoryKind.OutreachPaused, actor, now,
            reason.Length == 0 ? "Pause All Outreach: every queued message held." : $"Pause All Outreach: every queued message held ({reason}).");
        model.RefreshHolds();
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
        model.RecordCardAction(CardActionKind.ResumeOutreach, actor, now);
        MarkAttended(now);
        model.AddHistory(HistoryKind.OutreachResumed, actor, now, "Outreach resumed.");
        model.RefreshHolds();
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
        model.RecordCardAction(enabled ? CardActionKind.AutoEngageOn : CardActionKind.AutoEngageOff, actor, now);
        MarkAttended(now);
        model.AddHistory(enabled ? HistoryKind.AutoEngageOn : HistoryKind.AutoEngageOff, actor, now,
            enabled ? "Auto-Engage turned on." : "Auto-Engage turned off.");
        model.RefreshHolds();
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

        model.Reassign(ownerUserId, actor, now);
        MarkAttended(now);
        State.OwnerChangedAt = now;
        State.UpdatedAt = now;
        return true;
    }

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
        model.AddHistory(HistoryKind.Escalated, ContactModel.SystemActor, now,
            $"Escalated to the team inbox: nobody acted on the card within {ContactModel.DescribeSla(engine.Cards.EscalationSla)}.");
        State.PendingEffects.Add(new DeliverNotification(InboxAddress.Team, model.Notices.EscalationNotice(State, card, now)));
        model.IndexActiveCard();
        State.UpdatedAt = now;
        return true;
    }

    /// <summary>
    /// A person acted on the active card (a sidebar action that changed something): the first time, the card records
    /// it, and a card not escalated yet will not be, so the tenant's index stops keeping its escalation.
    /// </summary>
    private void MarkAttended(DateTimeOffset now)
    {
        if (State.Card?.ToDomain() is { IsActive: true, AttendedAt: null } card)
        {
            State.Card = card.Attended(now).ToStored();
            if (card.AwaitsEscalation)
            {
                model.IndexActiveCard();
            }
        }
    }
}
