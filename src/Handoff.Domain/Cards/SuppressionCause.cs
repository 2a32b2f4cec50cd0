namespace Handoff.Domain.Cards;

/// <summary>Why findings did not raise a card.</summary>
public enum SuppressionCause { Unsubscribed = 1, Cooldown = 2 }
