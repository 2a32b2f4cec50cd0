using System.ComponentModel.DataAnnotations;
using Handoff.Domain.Settings;

namespace Handoff.Domain.Summary;

/// <summary>How the deterministic summary words the engagement score, and how long any summary may be. Bound from configuration section "Handoff:Summary".</summary>
public sealed class SummaryOptions : IValidatableObject
{
    /// <summary>
    /// "Highly engaged" from this score. Same default as the BUYING_SIGNALS threshold, so a card raised for
    /// buying signals never calls the contact merely "engaged".
    /// </summary>
    [Range(0, 100)]
    public int HighlyEngagedMinScore { get; set; } = 70;

    /// <summary>"Engaged" from this score, "lightly engaged" below: roughly a few strong signals in the last half-life.</summary>
    [Range(0, 100)]
    public int EngagedMinScore { get; set; } = 40;

    /// <summary>
    /// The longest summary the grounding guard lets onto a card, in characters: four full sentences fit; a model that
    /// rambles on past it is not read in seconds.
    /// </summary>
    [Range(100, 4000)]
    public int MaxSummaryLength { get; set; } = 700;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        SettingOrder.AtMost(nameof(EngagedMinScore), EngagedMinScore, nameof(HighlyEngagedMinScore), HighlyEngagedMinScore);
}
