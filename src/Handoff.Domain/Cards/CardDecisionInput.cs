using Handoff.Domain.Model;
using Handoff.Domain.Triggers;

namespace Handoff.Domain.Cards;

/// <summary>What <see cref="CardRules"/> needs to decide about a contact's card.</summary>
/// <param name="ActiveCardReasons">Reasons on the contact's ACTIVE card; null when there is no active card.</param>
/// <param name="LastResumed">The last card resolved by Resume SI Automation, if any.</param>
/// <param name="Findings">The reasons that hold now, from <see cref="HandoffTriggerEvaluator"/>.</param>
public sealed record CardDecisionInput(
    IReadOnlyCollection<HandoffReason>? ActiveCardReasons,
    ResolvedCardCooldown? LastResumed,
    bool Unsubscribed,
    IReadOnlyList<ReasonFinding> Findings,
    DateTimeOffset Now);
