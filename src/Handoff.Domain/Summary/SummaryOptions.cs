using System.ComponentModel.DataAnnotations;
using Handoff.Domain.Settings;

namespace Handoff.Domain.Summary;

/// <summary>How the deterministic summary words the engagement score. Bound from configuration section "Handoff:Summary".</summary>
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

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        SettingOrder.AtMost(nameof(EngagedMinScore), EngagedMinScore, nameof(HighlyEngagedMinScore), HighlyEngagedMinScore);
}
