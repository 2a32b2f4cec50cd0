using Handoff.Grains.Contacts;
using Handoff.Grains.Handoffs;
using Handoff.Grains.Notifications;
using Handoff.Server.Hosting;
using Handoff.Server.Ingest;
using Handoff.Server.Validation;
using V1 = Handoff.Protos.V1;

namespace Handoff.Server.Mapping;

/// <summary>
/// Validated requests as the grains take them, and the grains' answers as responses: a service validates, maps with
/// these, calls the grain and maps back, so what an optional or unspecified field means is decided here once.
/// </summary>
public static class RequestMapper
{
    /// <summary>The page size asked for, or the default when the request leaves it 0 (AIP-158).</summary>
    public static int PageSize(this ApiOptions api, int requested)
    {
        ArgumentNullException.ThrowIfNull(api);
        return requested == 0 ? api.DefaultPageSize : requested;
    }

    /// <summary>An UpsertContact as a profile update: a field left unset, or UNSPECIFIED, changes nothing.</summary>
    public static ProfileUpdate ToProfileUpdate(this V1.UpsertContactRequest request) => new()
    {
        DisplayName = request.HasDisplayName ? request.DisplayName : null,
        OwnerUserId = request.HasOwnerUserId ? request.OwnerUserId : null,
        Stage = request.Stage == V1.LifecycleStage.Unspecified ? null : request.Stage.ToDomain(),
        Phase = request.Phase == V1.PipelinePhase.Unspecified ? null : request.Phase.ToDomain(),
        ActorUserId = request.ActorUserId,
    };

    /// <summary>An owner filter left UNSPECIFIED lists every active handoff.</summary>
    public static OwnerFilter ToDomainFilter(this V1.OwnerFilter filter) =>
        filter == V1.OwnerFilter.Unspecified ? OwnerFilter.All : filter.ToDomain();

    public static V1.ListActiveHandoffsResponse ToResponse(this ActiveHandoffPage page)
    {
        var response = new V1.ListActiveHandoffsResponse { NextPageToken = PageToken.Encode(page.NextOffset) };
        response.Handoffs.AddRange(page.Handoffs.Select(h => h.ToProto()));
        return response;
    }

    public static V1.GetContactHistoryResponse ToResponse(this HistoryPage page)
    {
        var response = new V1.GetContactHistoryResponse { NextPageToken = PageToken.Encode(page.NextAfterSequence) };
        response.Entries.AddRange(page.Entries.Select(e => e.ToProto()));
        return response;
    }

    public static NewOutreachMessage ToNewMessage(this V1.QueueMessageRequest request) => new()
    {
        MessageId = request.MessageId,
        Source = request.Source.ToDomain(),
        Channel = request.Channel.ToDomain(),
        Subject = request.Subject,
        Body = request.Body,
        SendAfter = request.SendTime?.ToDateTimeOffset(),
        ActorUserId = request.ActorUserId,
    };

    public static V1.ListMessagesResponse ToResponse(this OutboxPage page, string contactId)
    {
        var response = new V1.ListMessagesResponse { NextPageToken = PageToken.Encode(page.NextOffset) };
        response.Messages.AddRange(page.Messages.Select(m => m.ToProto(contactId)));
        return response;
    }

    public static V1.CheckOutreachResponse ToResponse(this GateAnswer answer) => new()
    {
        Allowed = answer.Allowed,
        DenialReason = answer.DenialReason?.ToProto() ?? V1.DenialReason.Unspecified,
    };

    public static V1.ClaimDueMessagesResponse ToClaimResponse(this IEnumerable<OutreachMessageState> claimed, string contactId)
    {
        var response = new V1.ClaimDueMessagesResponse();
        response.Messages.AddRange(claimed.Select(m => m.ToProto(contactId)));
        return response;
    }

    public static V1.ListNotificationsResponse ToResponse(this NotificationPage page)
    {
        var response = new V1.ListNotificationsResponse
        {
            NextPageToken = PageToken.Encode(page.NextBeforeSequence),
            UnreadCount = page.UnreadCount,
            LastSequence = page.LastSequence,
        };
        response.Notifications.AddRange(page.Notifications.Select(n => n.ToProto()));
        return response;
    }

    public static V1.WatchNotificationsResponse Heartbeat(DateTimeOffset serverTime, long lastSequence, int unreadCount) => new()
    {
        Heartbeat = new V1.Heartbeat { ServerTime = ProtoMapper.Time(serverTime), LastSequence = lastSequence },
        UnreadCount = unreadCount,
    };

    /// <summary>The acknowledgement of a batch taken by IngestBatch.</summary>
    public static V1.IngestBatchResponse ToBatchResponse(this BatchOutcome outcome, string batchId)
    {
        var response = new V1.IngestBatchResponse { BatchId = batchId, AcceptedCount = outcome.Accepted, DuplicateCount = outcome.Duplicates };
        response.Rejected.AddRange(outcome.Rejected);
        return response;
    }

    /// <summary>The acknowledgement of a batch of an IngestEvents stream.</summary>
    public static V1.IngestEventsResponse ToStreamAck(this BatchOutcome outcome, string batchId)
    {
        var ack = new V1.IngestEventsResponse { BatchId = batchId, AcceptedCount = outcome.Accepted, DuplicateCount = outcome.Duplicates };
        ack.Rejected.AddRange(outcome.Rejected);
        return ack;
    }
}
