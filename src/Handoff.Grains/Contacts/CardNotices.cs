using Handoff.Domain.Cards;
using Handoff.Grains.Handoffs;
using Handoff.Grains.Notifications;

namespace Handoff.Grains.Contacts;

/// <summary>
/// What a contact's card tells other grains: its notification in an inbox, its entry in the tenant's index (which
/// carries when the card escalates, for the index keeps the tenant's escalations).
/// </summary>
internal sealed class CardNotices(string contactId, CardOptions cards)
{
    public NotificationNotice Notice(ContactState state, CardState card, string deliveryId) => new()
    {
        DeliveryId = deliveryId,
        Kind = NotificationKind.Handoff,
        Priority = NotificationPriority.High,
        ContactId = contactId,
        ContactDisplayName = state.DisplayName,
        CardId = card.CardId,
        CardVersion = card.Version,
        Title = $"{cards.Label}: {(state.DisplayName.Length > 0 ? state.DisplayName : contactId)} needs you now",
        Summary = card.Summary,
        Reasons = card.Reasons.Select(r => r.Reason).ToList(),
        At = card.UpdatedAt,
    };

    /// <summary>The team inbox's notification of an escalated card; one per card (its delivery id is the card's).</summary>
    public NotificationNotice EscalationNotice(ContactState state, CardState card, DateTimeOffset now) => new()
    {
        DeliveryId = $"escalation:{card.CardId}",
        Kind = NotificationKind.Escalation,
        Priority = NotificationPriority.High,
        ContactId = contactId,
        ContactDisplayName = state.DisplayName,
        CardId = card.CardId,
        CardVersion = card.Version,
        Title = $"Handoff waiting {ContactModel.DescribeSla(cards.EscalationSla)}: {(state.DisplayName.Length > 0 ? state.DisplayName : contactId)}",
        Summary = card.Summary,
        Reasons = card.Reasons.Select(r => r.Reason).ToList(),
        At = now,
    };

    public ActiveHandoffEntry IndexEntry(ContactState state, CardState card) => new()
    {
        ContactId = contactId,
        ContactDisplayName = state.DisplayName,
        OwnerUserId = state.OwnerUserId,
        CardId = card.CardId,
        CardVersion = card.Version,
        Reasons = card.Reasons.Select(r => r.Reason).ToList(),
        ScoreAtRaise = card.ScoreAtRaise,
        CreatedAt = card.CreatedAt,
        EscalatesAt = card.ToDomain() is { AwaitsEscalation: true } awaiting ? awaiting.EscalationDueAt(cards.EscalationSla) : null,
    };
}
