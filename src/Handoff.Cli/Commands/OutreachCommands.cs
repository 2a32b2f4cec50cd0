using System.CommandLine;
using Handoff.Protos.V1;

namespace Handoff.Cli.Commands;

/// <summary>outreach: the contact's outbound queue and the send gate.</summary>
internal static class OutreachCommands
{
    private static readonly Argument<string> ContactId = Parameter.Word("contactId", "the contact");
    private static readonly Option<MessageSource?> Source = Parameter.Enum<MessageSource>("--source", "SOURCE", "who sends", required: true);
    private static readonly Option<Channel?> Channel = Parameter.Enum<Channel>("--channel", "CHANNEL", "how it is sent", required: true);
    private static readonly Option<string> Body = Parameter.Text("--body", "TEXT", "the message", required: true);
    private static readonly Option<string> Subject = Parameter.Text("--subject", "S", "the subject line");
    private static readonly Option<string> MessageId = Parameter.Text("--id", "MESSAGE_ID", "your message id, so a retry queues once (default: the server picks one)");
    private static readonly Option<int?> Max = Parameter.PositiveInt("--max", "at most this many messages (default: the server's 50)");

    public static readonly Command[] All =
    [
        new("outreach queue", "Queue an outbound message (held at once when the send gate denies its source)", "",
            [ContactId, Source, Channel, Body, Subject, MessageId], Queue),
        new("outreach list", "List the contact's outbound queue, oldest first", "", [ContactId], List),
        new("outreach check", "Ask the send gate whether a source may send now", "", [ContactId, Source], Check),
        new("outreach claim", "Claim the messages that may be sent now (as a sender would)", "Each message is handed out once.",
            [ContactId, Max], Claim),
    ];

    private static async Task<int> Queue(CliContext ctx, ParseResult parsed)
    {
        var request = new QueueMessageRequest
        {
            TenantId = ctx.Tenant,
            ContactId = parsed.GetRequiredValue(ContactId),
            Source = parsed.GetRequiredValue(Source) ?? default,
            Channel = parsed.GetRequiredValue(Channel) ?? default,
            Body = parsed.GetRequiredValue(Body),
            Subject = parsed.GetValue(Subject) ?? "",
            MessageId = parsed.GetValue(MessageId) ?? "",
        };
        Render.Message((await ctx.Outreach.QueueMessageAsync(request, cancellationToken: ctx.Cancel)).Message);
        return 0;
    }

    private static async Task<int> List(CliContext ctx, ParseResult parsed)
    {
        var request = new ListMessagesRequest { TenantId = ctx.Tenant, ContactId = parsed.GetRequiredValue(ContactId), PageSize = 500 };
        var count = 0;
        do
        {
            var page = await ctx.Outreach.ListMessagesAsync(request, cancellationToken: ctx.Cancel);
            foreach (var m in page.Messages) Render.Message(m);
            count += page.Messages.Count;
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);
        Console.WriteLine($"{count} message(s) in the queue of {request.ContactId}");
        return 0;
    }

    private static async Task<int> Check(CliContext ctx, ParseResult parsed)
    {
        var source = parsed.GetRequiredValue(Source) ?? default;
        var contactId = parsed.GetRequiredValue(ContactId);
        var response = await ctx.Outreach.CheckOutreachAsync(new() { TenantId = ctx.Tenant, ContactId = contactId, Source = source },
            cancellationToken: ctx.Cancel);
        Console.WriteLine(response.Allowed
            ? $"{ProtoEnum.Code(source)} outreach to {contactId}: allowed"
            : $"{ProtoEnum.Code(source)} outreach to {contactId}: denied ({ProtoEnum.Words(response.DenialReason)})");
        return 0;
    }

    private static async Task<int> Claim(CliContext ctx, ParseResult parsed)
    {
        // 0 asks for the server's own limit.
        var max = parsed.GetValue(Max) ?? 0;
        var contactId = parsed.GetRequiredValue(ContactId);
        var response = await ctx.Outreach.ClaimDueMessagesAsync(new() { TenantId = ctx.Tenant, ContactId = contactId, MaxMessages = max },
            cancellationToken: ctx.Cancel);
        foreach (var m in response.Messages) Render.Message(m);
        Console.WriteLine($"{response.Messages.Count} message(s) claimed for {contactId}");
        return 0;
    }
}
