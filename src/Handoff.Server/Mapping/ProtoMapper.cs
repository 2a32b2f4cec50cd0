using Google.Protobuf.WellKnownTypes;
using Handoff.Domain.Model;
using Handoff.Grains.Contacts;
using Handoff.Grains.Handoffs;
using Handoff.Grains.Notifications;
using V1 = Handoff.Protos.V1;

namespace Handoff.Server.Mapping;

/// <summary>
/// The one place where protobuf messages and grain/domain types meet; enums convert through <see cref="EnumMapper"/>.
/// </summary>
public static class ProtoMapper
{
    public static V1.Contact ToProto(this ContactSnapshot c)
    {
        var contact = new V1.Contact
        {
            TenantId = c.TenantId,
            ContactId = c.ContactId,
            DisplayName = c.DisplayName,
            OwnerUserId = c.OwnerUserId,
            Stage = c.Stage.ToProto(),
            Phase = c.Phase.ToProto(),
            Engagement = c.Engagement.ToProto(),
            AutoEngage = c.AutoEngage,
            OutreachPause = c.Pause is { } p
                ? new V1.OutreachPause { Paused = true, PausedByUserId = p.PausedByUserId, PauseTime = Time(p.PausedAt), Reason = p.Reason }
                : new V1.OutreachPause { Paused = false },
            Unsubscribed = c.Unsubscribed,
            CreateTime = Time(c.CreatedAt),
            UpdateTime = Time(c.UpdatedAt),
        };
        if (c.Card is { } card)
        {
            contact.Card = card.ToProto();
        }

        return contact;
    }

    public static V1.Engagement ToProto(this EngagementState e)
    {
        var engagement = new V1.Engagement
        {
            Score = e.Score,
            Trend = e.Trend.ToProto(),
            TrendDelta = e.TrendDelta,
            Sentiment = e.Sentiment.ToProto(),
            Recommendation = e.Recommendation.ToProto(),
            RecentEventCount = e.RecentEventCount,
            TotalEventCount = e.TotalEventCount,
            LastEventTime = e.LastEventAt is { } last ? Time(last) : null,
        };
        engagement.Reasons.AddRange(e.Reasons.Select(ToProto));
        return engagement;
    }

    public static V1.HandoffCard ToProto(this CardState c)
    {
        var card = new V1.HandoffCard
        {
            CardId = c.CardId,
            Version = c.Version,
            Label = c.Label,
            Summary = c.Summary,
            ScoreAtRaise = c.ScoreAtRaise,
            TrendAtRaise = c.TrendAtRaise.ToProto(),
            PhaseAtRaise = c.PhaseAtRaise.ToProto(),
            StageAtRaise = c.StageAtRaise.ToProto(),
            Status = c.Status.ToProto(),
            Resolution = c.Resolution?.ToProto() ?? V1.CardResolution.Unspecified,
            CreateTime = Time(c.CreatedAt),
            UpdateTime = Time(c.UpdatedAt),
            ResolveTime = c.ResolvedAt is { } at ? Time(at) : null,
            ResolvedByUserId = c.ResolvedByUserId,
            EscalateTime = c.EscalatedAt is { } escalatedAt ? Time(escalatedAt) : null,
            SummaryWriter = c.SummaryWriter.ToProto(),
            SummaryWriteTime = c.SummaryWrittenAt is { } writtenAt ? Time(writtenAt) : null,
        };
        card.Reasons.AddRange(c.Reasons.Select(ToProto));
        card.Actions.AddRange(c.Actions.Select(a => new V1.ActionRecord
        {
            Kind = a.Kind.ToProto(),
            ActorUserId = a.ActorUserId,
            ActionTime = Time(a.At),
        }));
        return card;
    }

    public static V1.ReasonEvidence ToProto(this ReasonRecord r)
    {
        var reason = new V1.ReasonEvidence { Reason = r.Reason.ToProto(), DetectTime = Time(r.DetectedAt) };
        reason.Evidence.AddRange(r.Evidence);
        return reason;
    }

    public static V1.HistoryEntry ToProto(this HistoryRecord h) => new()
    {
        Sequence = h.Sequence,
        Kind = h.Kind.ToProto(),
        EntryTime = Time(h.At),
        ActorUserId = h.ActorUserId,
        CardId = h.CardId,
        CardVersion = h.CardVersion,
        Detail = h.Detail,
    };

    public static V1.OutreachMessage ToProto(this OutreachMessageState m, string contactId) => new()
    {
        MessageId = m.MessageId,
        ContactId = contactId,
        Source = m.Source.ToProto(),
        Channel = m.Channel.ToProto(),
        Subject = m.Subject,
        Body = m.Body,
        Status = m.Status.ToProto(),
        HoldReason = m.HoldReason?.ToProto() ?? V1.DenialReason.Unspecified,
        QueueTime = Time(m.QueuedAt),
        SendTime = Time(m.SendAfter),
        ClaimTime = m.ClaimedAt is { } claimed ? Time(claimed) : null,
        QueuedByUserId = m.QueuedByUserId,
    };

    public static V1.Notification ToProto(this NotificationRecord n)
    {
        var notification = new V1.Notification
        {
            Sequence = n.Sequence,
            Kind = n.Notice.Kind.ToProto(),
            Priority = n.Notice.Priority.ToProto(),
            ContactId = n.Notice.ContactId,
            ContactDisplayName = n.Notice.ContactDisplayName,
            CardId = n.Notice.CardId,
            CardVersion = n.Notice.CardVersion,
            Title = n.Notice.Title,
            Summary = n.Notice.Summary,
            CreateTime = Time(n.Notice.At),
            Read = n.Read,
            Resolved = n.Resolved,
            Resolution = n.Resolution?.ToProto() ?? V1.NotificationResolution.Unspecified,
            ResolveTime = n.ResolvedAt is { } at ? Time(at) : null,
        };
        notification.Reasons.AddRange(n.Notice.Reasons.Select(r => r.ToProto()));
        return notification;
    }

    /// <summary>An entry of an inbox's log as the watch stream carries it: a new notification or a change to one.</summary>
    public static V1.WatchNotificationsResponse ToProto(this InboxEntry entry)
    {
        var response = new V1.WatchNotificationsResponse { UnreadCount = entry.UnreadCount };
        if (entry.Change is not { } change)
        {
            response.Notification = entry.Notification!.ToProto();
            return response;
        }

        response.Change = new V1.NotificationChange
        {
            Sequence = change.Sequence,
            Kind = change.Kind.ToProto(),
            NotificationSequence = change.NotificationSequence,
            ChangeTime = Time(change.At),
            Notification = entry.Notification?.ToProto(),
        };
        return response;
    }

    public static V1.ActiveHandoff ToProto(this ActiveHandoffEntry e)
    {
        var handoff = new V1.ActiveHandoff
        {
            ContactId = e.ContactId,
            ContactDisplayName = e.ContactDisplayName,
            OwnerUserId = e.OwnerUserId,
            CardId = e.CardId,
            CardVersion = e.CardVersion,
            ScoreAtRaise = e.ScoreAtRaise,
            CreateTime = Time(e.CreatedAt),
        };
        handoff.Reasons.AddRange(e.Reasons.Select(r => r.ToProto()));
        return handoff;
    }

    /// <summary>
    /// A validated event (see the ingest validator) as the journal and the contact grain take it, stamped with the time
    /// its batch is journaled at: the contact applies it as of that time, so it needs no stamped copy after the append.
    /// </summary>
    public static EngagementEvent ToJournaled(this V1.EngagementEvent e, DateTimeOffset appendedAt) => new()
    {
        AppendedAt = appendedAt,
        EventId = e.EventId,
        Type = e.Type.ToDomain(),
        OccurredAt = e.OccurTime.ToDateTimeOffset(),
        Channel = e.Channel == V1.Channel.Unspecified ? null : e.Channel.ToDomain(),
        Text = e.Text.Length == 0 ? null : e.Text,
        PricingPage = e.PricingPage,
        AppointmentTime = e.AppointmentTime?.ToDateTimeOffset(),
        Feature = e.Feature.Length == 0 ? null : e.Feature,
        Stage = e.Stage == V1.LifecycleStage.Unspecified ? null : e.Stage.ToDomain(),
        Phase = e.Phase == V1.PipelinePhase.Unspecified ? null : e.Phase.ToDomain(),
        OwnerUserId = e.Type == V1.EventType.OwnerChanged ? e.OwnerUserId : null,
    };

    public static InboxAddress ToAddress(this V1.InboxRef inbox) => inbox.Kind.ToDomain() switch
    {
        InboxKind.User => new InboxAddress(InboxKind.User, inbox.UserId),
        InboxKind.Team => InboxAddress.Team,
        InboxKind.Unassigned => InboxAddress.Unassigned,
        var kind => throw new ArgumentOutOfRangeException(nameof(inbox), kind, "An inbox kind without an address."),
    };

    public static Timestamp Time(DateTimeOffset at) => Timestamp.FromDateTimeOffset(at);
}
