using Handoff.Domain.Model;

namespace Handoff.Domain.Text;

/// <summary>The ways a handoff reason is named, one entry per reason.</summary>
/// <param name="Label">In the audit trail: "Handoff raised for buying signals, ...".</param>
/// <param name="Because">In the card summary: "A person should take over now because of strong buying signals."</param>
/// <param name="Fact">In the facts a language model writes the summary from.</param>
public sealed record ReasonWords(string Label, string Because, string Fact);

public static class ReasonWording
{
    public static WordingTable<HandoffReason, ReasonWords> Table { get; } = new("handoff reason", new Dictionary<HandoffReason, ReasonWords>
    {
        [HandoffReason.BuyingSignals] = new("buying signals", "strong buying signals", "buying signals"),
        [HandoffReason.AutomationExhausted] = new(
            "automation exhausted", "automated outreach that has gone unanswered", "automated outreach exhausted without a reply"),
        [HandoffReason.NeedsHumanJudgement] = new(
            "needs human judgement", "a message that needs human judgement", "a message needs human judgement"),
        [HandoffReason.CriticalMoment] = new(
            "critical moment", "a moment that could decide the deal", "a critical moment that could decide the deal"),
    });

    public static ReasonWords Of(HandoffReason reason) => Table[reason];
}
