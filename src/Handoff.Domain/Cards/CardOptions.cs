using System.ComponentModel.DataAnnotations;

namespace Handoff.Domain.Cards;

/// <summary>Card lifecycle rules. Bound from configuration section "Handoff:Cards".</summary>
public sealed class CardOptions
{
    /// <summary>After Resume SI Automation, the reasons of the resolved card are not raised again for this long.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "365.00:00:00")]
    public TimeSpan ReasonCooldown { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The label shown on every card.</summary>
    public string Label { get; set; } = "SI Human Handoff";

    /// <summary>
    /// A card still ACTIVE this long after it was raised, with nobody having acted on it, is escalated once to the
    /// tenant's team inbox.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan EscalationSla { get; set; } = TimeSpan.FromHours(4);
}
