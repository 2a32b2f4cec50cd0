using Handoff.Domain.Cards;
using Handoff.Domain.Scoring;
using Handoff.Domain.Summary;
using Handoff.Domain.Triggers;
using Microsoft.Extensions.Options;

namespace Handoff.Grains;

/// <summary>The domain services a contact grain evaluates with, resolved once from the container.</summary>
public sealed class HandoffEngine(
    EngagementScorer scorer,
    HandoffTriggerEvaluator triggers,
    CardRules cardRules,
    ISummaryWriter summaryWriter,
    IOptions<ScoringOptions> scoring,
    IOptions<CardOptions> cards,
    IOptions<ContactOptions> contacts)
{
    public EngagementScorer Scorer { get; } = scorer;
    public HandoffTriggerEvaluator Triggers { get; } = triggers;
    public CardRules CardRules { get; } = cardRules;
    public ISummaryWriter SummaryWriter { get; } = summaryWriter;
    public ScoringOptions Scoring { get; } = scoring.Value;
    public CardOptions Cards { get; } = cards.Value;
    public ContactOptions Contacts { get; } = contacts.Value;
}
