using System.ComponentModel.DataAnnotations;
using Handoff.Domain.Model;

namespace Handoff.Domain.Triggers;

/// <summary>
/// Thresholds of the handoff reasons (SPEC section 4). Bound from configuration section "Handoff:Triggers".
/// Phrases match whole words, case-insensitively; items bound from configuration are added to the
/// default lists. The phrase lists are read once, when the <see cref="HandoffTriggerEvaluator"/> is created.
/// </summary>
public sealed class TriggerOptions
{
    /// <summary>BUYING_SIGNALS needs at least this score (with a rising trend).</summary>
    [Range(0, 100)]
    public int BuyingSignalsMinScore { get; set; } = 70;

    /// <summary>BUYING_SIGNALS needs the contact in this phase.</summary>
    [EnumDataType(typeof(PipelinePhase))]
    public PipelinePhase BuyingSignalsPhase { get; set; } = PipelinePhase.Win;

    /// <summary>AUTOMATION_EXHAUSTED needs at least this many SI touches since the last inbound response.</summary>
    [Range(1, 1000)]
    public int AutomationExhaustedMinTouches { get; set; } = 5;

    /// <summary>... over at least this many distinct channels (one channel alone has not exhausted automation).</summary>
    [Range(1, 5)]
    public int AutomationExhaustedMinChannels { get; set; } = 2;

    /// <summary>CRITICAL_MOMENT when the proposal was viewed at least this many times within <see cref="ProposalViewWindow"/>.</summary>
    [Range(1, 1000)]
    public int ProposalViewsForCriticalMoment { get; set; } = 2;

    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan ProposalViewWindow { get; set; } = TimeSpan.FromHours(48);

    /// <summary>CRITICAL_MOMENT when a meeting (not cancelled since) is booked within this long from now ...</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan MeetingHorizon { get; set; } = TimeSpan.FromHours(48);

    /// <summary>... while the contact is in this phase.</summary>
    [EnumDataType(typeof(PipelinePhase))]
    public PipelinePhase MeetingPhase { get; set; } = PipelinePhase.Win;

    /// <summary>CRITICAL_MOMENT when the score rose at least this many points within <see cref="ScoreJumpWindow"/>.</summary>
    [Range(1, 100)]
    public int ScoreJumpPoints { get; set; } = 20;

    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan ScoreJumpWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>NEEDS_HUMAN_JUDGEMENT reads inbound messages no older than this.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan JudgementLookback { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Quoted messages in evidence are cut to about this many characters.</summary>
    [Range(10, 2000)]
    public int QuoteMaxLength { get; set; } = 120;

    /// <summary>The contact asks for a person.</summary>
    public List<string> AsksForPersonPhrases { get; set; } =
    [
        "speak to someone", "speak with someone", "talk to someone", "talk with someone", "speak to a person",
        "speak with a person", "talk to a person", "talk to a human", "speak to a human", "real person",
        "can someone call", "someone call me", "call me", "give me a call", "talk to sales", "speak to sales",
        "your manager", "account manager", "sales rep",
    ];

    /// <summary>The contact negotiates price or terms.</summary>
    public List<string> NegotiationPhrases { get; set; } =
    [
        "discount", "negotiate", "better price", "best price", "lower price", "better deal", "too expensive",
        "cheaper", "price match", "match the price", "payment terms", "net 30", "net 60", "budget", "counter offer",
    ];

    /// <summary>The contact raises a legal or contract question.</summary>
    public List<string> LegalPhrases { get; set; } =
    [
        "contract", "legal", "lawyer", "attorney", "terms and conditions", "liability", "gdpr", "nda", "msa",
        "dpa", "data processing agreement", "indemnity", "indemnification", "compliance", "sla",
    ];

    /// <summary>The contact complains.</summary>
    public List<string> ComplaintPhrases { get; set; } =
    [
        "complaint", "complain", "unacceptable", "disappointed", "frustrated", "refund", "not happy",
        "stop contacting", "stop emailing", "stop texting", "stop calling", "too many emails", "spam",
        "ridiculous", "terrible service",
    ];
}
