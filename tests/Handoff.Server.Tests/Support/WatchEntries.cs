using Google.Rpc;
using Grpc.Core;
using Handoff.Protos.V1;

namespace Handoff.Server.Tests.Support;

/// <summary>Reading a watch's entries (new notifications and changes to them) the way a subscriber keeps its place.</summary>
public static class WatchEntries
{
    /// <summary>The sequence number a message moves the subscriber's place to; 0 for a heartbeat.</summary>
    public static long Sequence(this WatchNotificationsResponse message) => message.EventCase switch
    {
        WatchNotificationsResponse.EventOneofCase.Notification => message.Notification.Sequence,
        WatchNotificationsResponse.EventOneofCase.Change => message.Change.Sequence,
        _ => 0,
    };

    /// <summary>What identifies an entry on any stream: its number, whether it adds or changes, and the notification it is about.</summary>
    public static string Describe(this WatchNotificationsResponse message) => message.EventCase switch
    {
        WatchNotificationsResponse.EventOneofCase.Notification => $"#{message.Notification.Sequence} new",
        WatchNotificationsResponse.EventOneofCase.Change => $"#{message.Change.Sequence} {message.Change.Kind} of #{message.Change.NotificationSequence}",
        _ => $"{message.EventCase}",
    };

    /// <summary>The next notification or change, past heartbeats.</summary>
    public static async Task<WatchNotificationsResponse> NextEntryAsync(this IAsyncStreamReader<WatchNotificationsResponse> reader)
    {
        while (true)
        {
            var next = await reader.NextAsync();
            if (next.EventCase != WatchNotificationsResponse.EventOneofCase.Heartbeat)
            {
                return next;
            }
        }
    }

    /// <summary>The next entry, which must be a new notification.</summary>
    public static async Task<(Notification Notification, int UnreadCount)> NextNotificationAsync(this IAsyncStreamReader<WatchNotificationsResponse> reader)
    {
        var next = await reader.NextEntryAsync();
        Assert.True(next.EventCase == WatchNotificationsResponse.EventOneofCase.Notification, $"Expected a new notification, got {next}");
        return (next.Notification, next.UnreadCount);
    }

    /// <summary>The next entry, which must be a change of <paramref name="kind"/>.</summary>
    public static async Task<(NotificationChange Change, int UnreadCount)> NextChangeAsync(this IAsyncStreamReader<WatchNotificationsResponse> reader,
        NotificationChangeKind kind)
    {
        var next = await reader.NextEntryAsync();
        Assert.True(next.EventCase == WatchNotificationsResponse.EventOneofCase.Change && next.Change.Kind == kind, $"Expected a {kind} change, got {next}");
        return (next.Change, next.UnreadCount);
    }

    /// <summary>
    /// The watch is refused for its place: OUT_OF_RANGE with a google.rpc.ErrorInfo of <paramref name="reason"/>, whose
    /// metadata it returns.
    /// </summary>
    public static async Task<IDictionary<string, string>> RefusedAsync(this AsyncServerStreamingCall<WatchNotificationsResponse> watch, string reason)
    {
        var refusal = await RpcAssert.FailsAsync(StatusCode.OutOfRange, () => watch.ResponseStream.NextAsync());
        var info = refusal.GetRpcStatus()?.GetDetail<ErrorInfo>();
        Assert.True(info is not null, $"OUT_OF_RANGE without a google.rpc.ErrorInfo: {refusal.Status.Detail}");
        Assert.Equal((reason, "handoff.v1"), (info.Reason, info.Domain));
        Assert.NotNull(refusal.GetRpcStatus()!.GetDetail<RequestInfo>());
        return info.Metadata;
    }
}
