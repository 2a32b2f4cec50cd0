using System.CommandLine;
using System.Globalization;
using Google.Rpc;
using Grpc.Core;
using Handoff.Protos.V1;

namespace Handoff.Cli.Commands;

/// <summary>inbox: a user's, the unassigned or the team notification inbox.</summary>
internal static class InboxCommands
{
    private const string InboxNote = "The inbox is --user USER, --unassigned or --team; the default is the acting user's own (--as).";

    private static readonly Option<string> User = Parameter.Text("--user", "USER", "the inbox of this user");
    private static readonly Option<bool> Unassigned = Parameter.Flag("--unassigned", "the tenant's inbox of unassigned contacts");
    private static readonly Option<bool> Team = Parameter.Flag("--team", "the tenant's team inbox");
    private static readonly Option<bool> Unread = Parameter.Flag("--unread", "only unread notifications");
    private static readonly Option<long?> UpTo = Parameter.Sequence("--up-to", "the last notification to mark read", required: true);
    private static readonly Option<long?> After = Parameter.Sequence("--after", "print what came after this place first (default 0: the whole backlog)");
    private static readonly Action<System.CommandLine.Parsing.CommandResult> OneInbox =
        Parameter.AtMostOneOf("give one of --user, --unassigned, --team", User, Unassigned, Team);

    public static readonly Command[] All =
    [
        new("inbox list", "List an inbox's notifications, newest first", InboxNote, [User, Unassigned, Team, Unread], List) { Rules = [OneInbox] },
        new("inbox read", "Mark every notification up to SEQ read", InboxNote, [User, Unassigned, Team, UpTo], Read) { Rules = [OneInbox] },
        new("inbox watch",
            "Print notifications and their changes (read, resolved, updated, moved away) as they happen, the backlog after SEQ first, until Ctrl+C",
            InboxNote + "\nA lost connection is retried from the last sequence printed, so nothing is missed or printed twice."
                + "\nSEQ past the inbox's end is replaced by its end; entries the inbox no longer keeps are reported as missed.",
            [User, Unassigned, Team, After], Watch) { Rules = [OneInbox] },
    ];

    private static async Task<int> List(CliContext ctx, ParseResult parsed)
    {
        var request = new ListNotificationsRequest { TenantId = ctx.Tenant, Inbox = Inbox(parsed), UnreadOnly = parsed.GetValue(Unread), PageSize = 500 };
        var first = true;
        do
        {
            var page = await ctx.Notifications.ListNotificationsAsync(request, cancellationToken: ctx.Cancel);
            if (first) Console.WriteLine($"{Describe(request.Inbox)}: {page.UnreadCount} unread, last sequence {page.LastSequence}");
            first = false;
            foreach (var n in page.Notifications) Render.Notification(n);
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);
        return 0;
    }

    private static async Task<int> Read(CliContext ctx, ParseResult parsed)
    {
        var request = new MarkNotificationsReadRequest
        {
            TenantId = ctx.Tenant, Inbox = Inbox(parsed), UpToSequence = parsed.GetRequiredValue(UpTo) ?? 0,
        };
        var response = await ctx.Notifications.MarkNotificationsReadAsync(request, cancellationToken: ctx.Cancel);
        Console.WriteLine($"{Describe(request.Inbox)}: {response.UnreadCount} unread");
        return 0;
    }

    private static async Task<int> Watch(CliContext ctx, ParseResult parsed)
    {
        var request = new WatchNotificationsRequest { TenantId = ctx.Tenant, Inbox = Inbox(parsed), AfterSequence = parsed.GetValue(After) ?? 0 };
        Console.Error.WriteLine($"watching {Describe(request.Inbox)} after #{request.AfterSequence} (Ctrl+C to stop)");
        var retry = TimeSpan.FromSeconds(1);
        var unread = -1;
        while (true)
        {
            try
            {
                using var call = ctx.Notifications.WatchNotifications(request, cancellationToken: ctx.Cancel);
                await foreach (var item in call.ResponseStream.ReadAllAsync(ctx.Cancel))
                {
                    switch (item.EventCase)
                    {
                        case WatchNotificationsResponse.EventOneofCase.Notification:
                            Render.Notification(item.Notification);
                            request.AfterSequence = item.Notification.Sequence;
                            break;
                        case WatchNotificationsResponse.EventOneofCase.Change:
                            Render.Change(item.Change);
                            request.AfterSequence = item.Change.Sequence;
                            break;
                        default:
                            break; // a heartbeat: the stream is alive
                    }

                    if (item.UnreadCount != unread)
                    {
                        unread = item.UnreadCount;
                        Console.WriteLine($"    {Describe(request.Inbox)}: {unread} unread");
                    }
                    retry = TimeSpan.FromSeconds(1);
                }
                Console.Error.WriteLine("the server ended the stream; reconnecting");
            }
            catch (Exception) when (ctx.Cancel.IsCancellationRequested)
            {
                return 0;
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.OutOfRange && ResumePoint(ex) is { } resume)
            {
                Console.Error.WriteLine(resume.Reason == "AFTER_SEQUENCE_EXPIRED"
                    ? $"the inbox no longer keeps what came after #{request.AfterSequence}: #{request.AfterSequence + 1} to #{resume.After} are missed "
                        + $"('inbox list' shows the inbox as it is); watching after #{resume.After}"
                    : $"the inbox ends at #{resume.After}, before #{request.AfterSequence}; watching after #{resume.After}");
                request.AfterSequence = resume.After;
                continue;
            }
            catch (RpcException ex) when (ex.StatusCode is StatusCode.Unavailable or StatusCode.Internal or StatusCode.Unknown)
            {
                Console.Error.WriteLine($"connection lost ({ex.StatusCode}); reconnecting after #{request.AfterSequence} in {retry.TotalSeconds:0}s");
            }
            try
            {
                await Task.Delay(retry, ctx.Cancel);
            }
            catch (OperationCanceledException)
            {
                return 0;
            }
            retry = TimeSpan.FromSeconds(Math.Min(retry.TotalSeconds * 2, 30));
        }
    }

    /// <summary>Where a watch refused for its place may go on: the inbox's end, or the oldest place it still keeps.</summary>
    private static (string Reason, long After)? ResumePoint(RpcException refusal)
    {
        var info = refusal.GetRpcStatus()?.GetDetail<ErrorInfo>();
        var key = info?.Reason == "AFTER_SEQUENCE_EXPIRED" ? "oldestResumableAfter" : "lastSequence";
        return info is not null && info.Metadata.TryGetValue(key, out var text) && long.TryParse(text, CultureInfo.InvariantCulture, out var after)
            ? (info.Reason, after)
            : null;
    }

    /// <summary>The inbox named by the options; the parser has already refused more than one.</summary>
    private static InboxRef Inbox(ParseResult parsed) => parsed.GetValue(User) switch
    {
        { } user => new() { Kind = InboxKind.User, UserId = user },
        null when parsed.GetValue(Unassigned) => new() { Kind = InboxKind.Unassigned },
        null when parsed.GetValue(Team) => new() { Kind = InboxKind.Team },
        // The server reads a USER inbox without a user as the caller's own.
        null => new() { Kind = InboxKind.User },
    };

    private static string Describe(InboxRef inbox) => inbox.Kind == InboxKind.User
        ? inbox.UserId.Length > 0 ? $"inbox of {inbox.UserId}" : "your inbox"
        : $"{ProtoEnum.Words(inbox.Kind)} inbox";
}
