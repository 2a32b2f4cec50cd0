using Handoff.Domain.Cards;
using Handoff.Domain.Model;
using Handoff.Domain.Outreach;
using Handoff.Domain.Summary;

namespace Handoff.Grains.Contacts;

/// <summary>
/// The one place where the contact's stored and exchanged records (whose format is stored, or crosses a grain call)
/// become the domain's types its rules work on, and back: the outbound queue and the card. (Events need none: the
/// domain's event is what the journal, a grain call and a stored state hold, written through its surrogate, StoredEvent.)
/// </summary>
internal static class ContactStateMapping
{
    public static OutreachMessage ToDomain(this OutreachMessageState m) => new()
    {
        MessageId = m.MessageId,
        Source = m.Source,
        Channel = m.Channel,
        Subject = m.Subject,
        Body = m.Body,
        Status = m.Status switch
        {
            MessageStatus.Queued => OutreachStatus.Queued,
            MessageStatus.Held => OutreachStatus.Held,
            MessageStatus.Claimed => OutreachStatus.Claimed,
            _ => throw new ArgumentOutOfRangeException(nameof(m), m.Status, "Unknown message status."),
        },
        HoldReason = m.HoldReason,
        QueuedAt = m.QueuedAt,
        SendAfter = m.SendAfter,
        ClaimedAt = m.ClaimedAt,
        QueuedByUserId = m.QueuedByUserId,
    };

    public static OutreachMessageState ToStored(this OutreachMessage m) => new()
    {
        MessageId = m.MessageId,
        Source = m.Source,
        Channel = m.Channel,
        Subject = m.Subject,
        Body = m.Body,
        Status = m.Status switch
        {
            OutreachStatus.Queued => MessageStatus.Queued,
            OutreachStatus.Held => MessageStatus.Held,
            OutreachStatus.Claimed => MessageStatus.Claimed,
            _ => throw new ArgumentOutOfRangeException(nameof(m), m.Status, "Unknown message status."),
        },
        HoldReason = m.HoldReason,
        QueuedAt = m.QueuedAt,
        SendAfter = m.SendAfter,
        ClaimedAt = m.ClaimedAt,
        QueuedByUserId = m.QueuedByUserId,
    };

    public static OutreachRequest ToDomain(this NewOutreachMessage m) => new()
    {
        MessageId = m.MessageId,
        Source = m.Source,
        Channel = m.Channel,
        Subject = m.Subject,
        Body = m.Body,
        SendAfter = m.SendAfter,
        ActorUserId = m.ActorUserId,
    };

    /// <summary>Whether the stored card is active, without mapping the whole card (the ingest path asks on every batch).</summary>
    public static bool IsActive(this CardState c) => c.Status.ToDomain() == HandoffCardStatus.Active;

    public static HandoffCardStatus ToDomain(this CardStatus status) => status switch
    {
        CardStatus.Active => HandoffCardStatus.Active,
        CardStatus.Resolved => HandoffCardStatus.Resolved,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown card status."),
    };

    public static HandoffCard ToDomain(this CardState c) => new()
    {
        CardId = c.CardId,
        Version = c.Version,
        Label = c.Label,
        Summary = c.Summary,
        Reasons = c.Reasons.Select(r => new CardReason(r.Reason, r.Evidence, r.DetectedAt)).ToList(),
        ScoreAtRaise = c.ScoreAtRaise,
        TrendAtRaise = c.TrendAtRaise,
        PhaseAtRaise = c.PhaseAtRaise,
        StageAtRaise = c.StageAtRaise,
        Status = c.Status.ToDomain(),
        Resolution = c.Resolution switch
        {
            null => null,
            CardResolution.Resumed => HandoffCardResolution.Resumed,
            _ => throw new ArgumentOutOfRangeException(nameof(c), c.Resolution, "Unknown card resolution."),
        },
        CreatedAt = c.CreatedAt,
        UpdatedAt = c.UpdatedAt,
        ResolvedAt = c.ResolvedAt,
        ResolvedByUserId = c.ResolvedByUserId,
        Actions = c.Actions.Select(a => new CardAction(a.Kind.ToDomain(), a.ActorUserId, a.At)).ToList(),
        EscalatedAt = c.EscalatedAt,
        AttendedAt = c.AttendedAt,
        Facts = c.Facts?.ToDomain(),
        SummaryWriter = c.SummaryWriter,
        SummaryWrittenAt = c.SummaryWrittenAt,
    };

    public static FactSheet ToDomain(this FactSheetRecord f) => new()
    {
        Name = f.Name,
        Stage = f.Stage,
        Phase = f.Phase,
        Score = f.Score,
        Trend = f.Trend,
        TrendDelta = f.TrendDelta,
        Sentiment = f.Sentiment,
        Events = f.Events.Select(e => new FactEvent(e.Kind, e.Count, e.LastAt, e.PricingPage)).ToList(),
        Features = f.Features,
        Outreach = f.Outreach is { } o ? new FactOutreach(o.Touches, o.Channels, o.LastAt) : null,
        Reasons = f.Reasons.Select(r => new FactReason(r.Reason, r.Evidence)).ToList(),
        AsOf = f.AsOf,
    };

    public static FactSheetRecord ToStored(this FactSheet f) => new()
    {
        Name = f.Name,
        Stage = f.Stage,
        Phase = f.Phase,
        Score = f.Score,
        Trend = f.Trend,
        TrendDelta = f.TrendDelta,
        Sentiment = f.Sentiment,
        Events = f.Events.Select(e => new FactEventRecord(e.Kind, e.Count, e.LastAt, e.PricingPage)).ToList(),
        Features = f.Features,
        Outreach = f.Outreach is { } o ? new FactOutreachRecord(o.Touches, o.Channels, o.LastAt) : null,
        // A fact sheet's reasons carry no detection time: the card's reasons have it.
        Reasons = f.Reasons.Select(r => new ReasonRecord(r.Reason, r.Evidence, f.AsOf)).ToList(),
        AsOf = f.AsOf,
    };

    public static CardState ToStored(this HandoffCard c) => new()
    {
        CardId = c.CardId,
        Version = c.Version,
        Label = c.Label,
        Summary = c.Summary,
        Reasons = c.Reasons.Select(r => new ReasonRecord(r.Reason, r.Evidence, r.DetectedAt)).ToList(),
        ScoreAtRaise = c.ScoreAtRaise,
        TrendAtRaise = c.TrendAtRaise,
        PhaseAtRaise = c.PhaseAtRaise,
        StageAtRaise = c.StageAtRaise,
        Status = c.Status switch
        {
            HandoffCardStatus.Active => CardStatus.Active,
            HandoffCardStatus.Resolved => CardStatus.Resolved,
            _ => throw new ArgumentOutOfRangeException(nameof(c), c.Status, "Unknown card status."),
        },
        Resolution = c.Resolution switch
        {
            null => null,
            HandoffCardResolution.Resumed => CardResolution.Resumed,
            _ => throw new ArgumentOutOfRangeException(nameof(c), c.Resolution, "Unknown card resolution."),
        },
        CreatedAt = c.CreatedAt,
        UpdatedAt = c.UpdatedAt,
        ResolvedAt = c.ResolvedAt,
        ResolvedByUserId = c.ResolvedByUserId,
        Actions = c.Actions.Select(a => new ActionRecord(a.Kind.ToStored(), a.ActorUserId, a.At)).ToList(),
        EscalatedAt = c.EscalatedAt,
        AttendedAt = c.AttendedAt,
        Facts = c.Facts?.ToStored(),
        SummaryWriter = c.SummaryWriter,
        SummaryWrittenAt = c.SummaryWrittenAt,
    };

    private static CardActionKind ToDomain(this ActionKind kind) => kind switch
    {
        ActionKind.ResumeAutomation => CardActionKind.ResumeAutomation,
        ActionKind.PauseAllOutreach => CardActionKind.PauseAllOutreach,
        ActionKind.ResumeOutreach => CardActionKind.ResumeOutreach,
        ActionKind.AutoEngageOn => CardActionKind.AutoEngageOn,
        ActionKind.AutoEngageOff => CardActionKind.AutoEngageOff,
        ActionKind.AssignOwner => CardActionKind.AssignOwner,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown action."),
    };

    private static ActionKind ToStored(this CardActionKind kind) => kind switch
    {
        CardActionKind.ResumeAutomation => ActionKind.ResumeAutomation,
        CardActionKind.PauseAllOutreach => ActionKind.PauseAllOutreach,
        CardActionKind.ResumeOutreach => ActionKind.ResumeOutreach,
        CardActionKind.AutoEngageOn => ActionKind.AutoEngageOn,
        CardActionKind.AutoEngageOff => ActionKind.AutoEngageOff,
        CardActionKind.AssignOwner => ActionKind.AssignOwner,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown action."),
    };
}
