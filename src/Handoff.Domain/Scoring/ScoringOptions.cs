using System.ComponentModel.DataAnnotations;
using Handoff.Domain.Model;

namespace Handoff.Domain.Scoring;

/// <summary>Weights, decay and windows of the engagement score. Bound from configuration section "Handoff:Scoring".</summary>
public sealed class ScoringOptions
{
    /// <summary>A signal's weight halves after this long.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan HalfLife { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Trend compares the score now with the score this long ago.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan TrendWindow { get; set; } = TimeSpan.FromDays(3);

    /// <summary>A score change of at least this much over the trend window is RISING (or FALLING when negative).</summary>
    [Range(1, 100)]
    public int TrendThreshold { get; set; } = 10;

    /// <summary>Points per event type, before decay. Types not listed score nothing.</summary>
    public Dictionary<EventType, double> Weights { get; set; } = new()
    {
        [EventType.EmailOpened] = 2,
        [EventType.EmailClicked] = 4,
        [EventType.EmailReplied] = 10,
        [EventType.SmsReceived] = 10,
        [EventType.CallAnswered] = 12,
        [EventType.AppointmentBooked] = 15,
        [EventType.AppointmentAttended] = 15,
        [EventType.AppointmentNoShow] = -8,
        [EventType.AppointmentCancelled] = -6,
        [EventType.PageViewed] = 2,
        [EventType.FormSubmitted] = 8,
        [EventType.ProposalViewed] = 10,
        [EventType.FeatureExplored] = 5,
    };

    /// <summary>Extra points for a view of the pricing page, on top of the page-view weight.</summary>
    [Range(-100.0, 100.0)]
    public double PricingPageBonus { get; set; } = 6;

    /// <summary>Sentiment of inbound messages adds (positive) or removes (negative) this many points per message.</summary>
    [Range(0.0, 100.0)]
    public double SentimentWeight { get; set; } = 4;

    /// <summary>Events older than this leave the contact's recent-event window.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan RecentEventWindow { get; set; } = TimeSpan.FromDays(30);

    /// <summary>The recent-event window never holds more than this many events (the newest are kept).</summary>
    [Range(1, 10000)]
    public int MaxRecentEvents { get; set; } = 200;
}
