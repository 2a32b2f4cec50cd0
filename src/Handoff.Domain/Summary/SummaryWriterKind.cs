namespace Handoff.Domain.Summary;

/// <summary>Which writer made the summary on a card. A card stored before the writer was recorded holds 0, no value.</summary>
public enum SummaryWriterKind
{
    Deterministic = 1,
    LanguageModel = 2,
}
