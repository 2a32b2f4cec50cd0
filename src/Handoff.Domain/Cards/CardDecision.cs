using Handoff.Domain.Triggers;

namespace Handoff.Domain.Cards;

/// <summary>What to do with a contact's card; a closed set, so callers can switch over it exhaustively.</summary>
public abstract record CardDecision
{
    private CardDecision()
    {
    }

    /// <summary>Nothing to do.</summary>
    public static NoChange None { get; } = new();

    /// <summary>Nothing to do: no findings, or nothing new for the active card.</summary>
    public sealed record NoChange : CardDecision
    {
        internal NoChange()
        {
        }
    }

    /// <summary>Raise a new card (and its one notification) with these reasons.</summary>
    public sealed record Raise(IReadOnlyList<ReasonFinding> Reasons) : CardDecision;

    /// <summary>Add these reasons to the active card (version + 1, no second notification).</summary>
    public sealed record Update(IReadOnlyList<ReasonFinding> AddedReasons) : CardDecision;

    /// <summary>Findings hold but no card is raised, for <paramref name="Cause"/>; worth recording, not showing.</summary>
    public sealed record Suppressed(SuppressionCause Cause, IReadOnlyList<ReasonFinding> Findings) : CardDecision;
}
