using Handoff.Protos.V1;

namespace Handoff.Cli.Commands;

/// <summary>outreach: the contact's outbound queue and the send gate.</summary>
internal static class OutreachCommands
{
    public static readonly Command[] All =
    [
        new("outreach queue", "<contactId> --source si|manual --channel CHANNEL --body TEXT [--subject S] [--id MESSAGE_ID]",
            "Queue an outbound message (held at once when the send gate denies its source)",
            """
              --channel  email, sms, call, web, meeting
              --id       your message id, so a retry queues once (default: the server picks one)
            """,
            Queue),
        new("outreach list", "<contactId>", "List the contact's outbound queue, oldest first", "", List),
        new("outreach check", "<contactId> --source si|manual", "Ask the send gate whether a source may send now", "", Check),
        new("outreach claim", "<contactId> [--max N]", "Claim the messages that may be sent now (as a sender would)",
            "Each message is handed out once; --max defaults to the server's 50.", Claim),
    ];

    private static async Task<int> Queue(CliContext ctx, Args a)
    {
        var request = new QueueMessageRequest
        {
            TenantId = ctx.Tenant,
            Source = ProtoEnum.Parse<MessageSource>(a.Required("--source"), "--source"),
            Channel = ProtoEnum.Parse<Channel>(a.Required("--channel"), "--channel"),
            Body = a.Required("--body"),
            Subject = a.Option("--subject") ?? "",
            MessageId = a.Option("--id") ?? "",
        };
        request.ContactId = a.Positionals("contactId")[0];
        Render.Message((await ctx.Outreach.QueueMessageAsync(request, cancellationToken: ctx.Cancel)).Message);
        return 0;
    }

    private static async Task<int> List(CliContext ctx, Args a)
    {
        var request = new ListMessagesRequest { TenantId = ctx.Tenant, ContactId = a.Positionals("contactId")[0], PageSize = 500 };
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

    private static async Task<int> Check(CliContext ctx, Args a)
    {
        var source = ProtoEnum.Parse<MessageSource>(a.Required("--source"), "--source");
        var contactId = a.Positionals("contactId")[0];
        var response = await ctx.Outreach.CheckOutreachAsync(new() { TenantId = ctx.Tenant, ContactId = contactId, Source = source },
            cancellationToken: ctx.Cancel);
        Console.WriteLine(response.Allowed
            ? $"{ProtoEnum.Code(source)} outreach to {contactId}: allowed"
            : $"{ProtoEnum.Code(source)} outreach to {contactId}: denied ({ProtoEnum.Words(response.DenialReason)})");
        return 0;
    }

    private static async Task<int> Claim(CliContext ctx, Args a)
    {
        var max = a.PositiveInt("--max") ?? 0;
        var contactId = a.Positionals("contactId")[0];
        var response = await ctx.Outreach.ClaimDueMessagesAsync(new() { TenantId = ctx.Tenant, ContactId = contactId, MaxMessages = max },
            cancellationToken: ctx.Cancel);
        foreach (var m in response.Messages) Render.Message(m);
        Console.WriteLine($"{response.Messages.Count} message(s) claimed for {contactId}");
        return 0;
    }
}
