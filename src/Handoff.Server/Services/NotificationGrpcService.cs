using System.Globalization;
using Grpc.Core;
using Handoff.Grains;
using Handoff.Protos.V1;
using Handoff.Server.Errors;
using Handoff.Server.Hosting;
using Handoff.Server.Limits;
using Handoff.Server.Mapping;
using Handoff.Server.Notifications;
using Handoff.Server.Security;
using Handoff.Server.Validation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Handoff.Server.Services;

public sealed class NotificationGrpcService(IGrainFactory grains, IOptions<ApiOptions> api, CallerLimits limits, IHostApplicationLifetime lifetime, TimeProvider time)
    : NotificationService.NotificationServiceBase
{
    /// <summary>ErrorInfo metadata of a watch refused for its place (the proto's WatchNotifications names them).</summary>
    private const string LastSequenceKey = "lastSequence";
    private const string OldestResumableAfterKey = "oldestResumableAfter";

    [Authorize(Policy = HandoffPolicies.Sidebar)]
    public override async Task<ListNotificationsResponse> ListNotifications(ListNotificationsRequest request, ServerCallContext context)
    {
        Validate(request.TenantId, request.Inbox)
            .PageSize(request.PageSize)
            .PageToken(request.PageToken, out var beforeSequence)
            .ThrowIfInvalid();
        var page = await grains.Inbox(request.TenantId, request.Inbox.ToAddress())
            .List(beforeSequence, api.Value.PageSize(request.PageSize), request.UnreadOnly);
        return page.ToResponse();
    }

    [Authorize(Policy = HandoffPolicies.Sidebar)]
    public override async Task WatchNotifications(WatchNotificationsRequest request,
        IServerStreamWriter<WatchNotificationsResponse> responseStream, ServerCallContext context)
    {
        Validate(request.TenantId, request.Inbox)
            .Check(request.AfterSequence >= 0, "after_sequence", "must not be negative")
            .ThrowIfInvalid();
        using var place = limits.Watch(context.Caller());
        var watch = new InboxWatch(grains, api.Value, time, request.TenantId, request.Inbox.ToAddress());
        // A watch lasts until the subscriber leaves or the server stops; it then ends cleanly and the subscriber
        // resumes elsewhere from its last sequence number.
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        try
        {
            await watch.RunAsync(request.AfterSequence, new StreamSink(responseStream, time), ended.Token);
        }
        catch (InboxWatch.TooSlowException slow)
        {
            throw new RpcException(new Status(StatusCode.ResourceExhausted, slow.Message));
        }
        catch (InboxWatch.BeyondEndException beyond)
        {
            throw RichStatus.Create(Google.Rpc.Code.OutOfRange, beyond.Message,
                RichStatus.Reason("AFTER_SEQUENCE_BEYOND_END", (LastSequenceKey, Number(beyond.LastSequence)))).ToRpcException();
        }
        catch (InboxWatch.ExpiredException expired)
        {
            throw RichStatus.Create(Google.Rpc.Code.OutOfRange, expired.Message, RichStatus.Reason("AFTER_SEQUENCE_EXPIRED",
                (OldestResumableAfterKey, Number(expired.OldestResumableAfter)), (LastSequenceKey, Number(expired.LastSequence)))).ToRpcException();
        }
        catch (OperationCanceledException) when (ended.IsCancellationRequested)
        {
            // The subscriber went away, its deadline passed or the server is stopping: the watch released what it held.
        }
    }

    [Authorize(Policy = HandoffPolicies.Sidebar)]
    public override async Task<MarkNotificationsReadResponse> MarkNotificationsRead(MarkNotificationsReadRequest request, ServerCallContext context)
    {
        Validate(request.TenantId, request.Inbox)
            .Check(request.UpToSequence >= 0, "up_to_sequence", "must not be negative")
            .Check(request.Sequences.Count <= api.Value.MaxSequencesPerMark, "sequences",
                $"must name at most {api.Value.MaxSequencesPerMark} notifications (up_to_sequence marks any number)")
            .Check(request.Sequences.All(s => s > 0), "sequences", "must all be positive")
            .Check(request.Sequences.Count > 0 || request.UpToSequence > 0, "sequences", "or up_to_sequence is required")
            .ThrowIfInvalid();
        var unread = await grains.Inbox(request.TenantId, request.Inbox.ToAddress()).MarkRead(request.Sequences.ToList(), request.UpToSequence);
        return new MarkNotificationsReadResponse { UnreadCount = unread };
    }

    private RequestValidator Validate(string tenantId, InboxRef? inbox)
    {
        var validator = new RequestValidator(api.Value).TenantId(tenantId);
        if (inbox is null)
        {
            return validator.Fail("inbox", "is required");
        }

        return validator
            .Specified(inbox.Kind, "inbox.kind")
            .Check(inbox.Kind != InboxKind.User || inbox.UserId.Length > 0, "inbox.user_id", "is required for a USER inbox")
            .Check(inbox.Kind == InboxKind.User || inbox.UserId.Length == 0, "inbox.user_id", "must be empty unless the inbox kind is USER")
            .OptionalId(inbox.UserId, "inbox.user_id");
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Writes a watch's entries and heartbeats to the response stream (one writer: the watch's loop).</summary>
    private sealed class StreamSink(IServerStreamWriter<WatchNotificationsResponse> stream, TimeProvider time) : IWatchSink
    {
        public Task EntryAsync(Grains.Notifications.InboxEntry entry, CancellationToken cancellationToken) =>
            stream.WriteAsync(entry.ToProto(), cancellationToken);

        public Task HeartbeatAsync(long lastSequence, int unreadCount, CancellationToken cancellationToken) =>
            stream.WriteAsync(RequestMapper.Heartbeat(time.GetUtcNow(), lastSequence, unreadCount), cancellationToken);
    }
}
