using Handoff.Domain.Model;

namespace Handoff.Domain.Cards;

/// <summary>
/// Turns findings into a card decision (SPEC sections 4 and 5): one card at a time, never for an
/// unsubscribed contact, and no nagging with the reason the owner just resolved.
/// </summary>
public sealed class CardRules
{
    private readonly CardOptions options;

    public CardRules(CardOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options;
    }

    /// <summary>
    /// No findings: <see cref="CardDecision.None"/>. Unsubscribed: never raise or update; findings without an
    /// active card are <see cref="SuppressionCause.Unsubscribed"/>. Active card: the reasons it lacks are an
    /// update, otherwise nothing. No active card: within <see cref="CardOptions.ReasonCooldown"/> of the last
    /// Resume SI Automation, findings only of the resolved card's reasons are
    /// <see cref="SuppressionCause.Cooldown"/>; any other reason raises a card with all findings.
    /// </summary>
    public CardDecision Decide(CardDecisionInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Findings.Count == 0)
        {
            return CardDecision.None;
        }

        if (input.Unsubscribed)
        {
            return input.ActiveCardReasons is null
                ? new CardDecision.Suppressed(SuppressionCause.Unsubscribed, input.Findings)
                : CardDecision.None;
        }

        if (input.ActiveCardReasons is { } active)
        {
            var added = input.Findings.Where(f => !active.Contains(f.Reason)).ToList();
            return added.Count > 0 ? new CardDecision.Update(added) : CardDecision.None;
        }

        if (input.LastResumed is { } resumed
            && input.Now < resumed.ResolvedAt + options.ReasonCooldown
            && input.Findings.All(f => resumed.Reasons.Contains(f.Reason)))
        {
            return new CardDecision.Suppressed(SuppressionCause.Cooldown, input.Findings);
        }

        return new CardDecision.Raise(input.Findings);
    }
}
