using Handoff.Domain.Cards;
using Handoff.Domain.Evaluation;
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
    Contacts.IModelSummaryRequests modelSummaries,
    IOptions<ScoringOptions> scoring,
    IOptions<CardOptions> cards,
    IOptions<ContactOptions> contacts)
{
    public EngagementScorer Scorer { get; } = scorer;
    public HandoffTriggerEvaluator Triggers { get; } = triggers;

    /// <summary>Works out once, as an event arrives, what the evaluation needs of it.</summary>
    public EventAppraiser Appraiser { get; } = new(scorer, triggers);

    /// <summary>The score, trend and sentiment from a contact's appraised window (decides as <see cref="Scorer"/> does).</summary>
    public WindowAssessor Assessor { get; } = new(scorer);

    /// <summary>The reasons from a contact's appraised window (decides as <see cref="Triggers"/> does).</summary>
    public WindowTriggerEvaluator WindowTriggers { get; } = new(triggers, new WindowAssessor(scorer));
    public CardRules CardRules { get; } = cardRules;
    /// <summary>The writer of the summary a card is raised with, in the contact's turn: the deterministic one.</summary>
    public ISummaryWriter SummaryWriter { get; } = summaryWriter;

    /// <summary>Where a card goes for a language model's summary, written outside the contact's turn.</summary>
    public Contacts.IModelSummaryRequests ModelSummaries { get; } = modelSummaries;
    public ScoringOptions Scoring { get; } = scoring.Value;
    public CardOptions Cards { get; } = cards.Value;
    public ContactOptions Contacts { get; } = contacts.Value;
}
