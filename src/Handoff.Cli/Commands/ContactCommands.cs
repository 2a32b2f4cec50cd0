using Handoff.Protos.V1;

namespace Handoff.Cli.Commands;

/// <summary>contact: the sidebar, its profile, owner and Auto-Engage toggle, and its audit trail.</summary>
internal static class ContactCommands
{
    public static readonly Command[] All =
    [
        new("contact upsert", "<contactId> [--name NAME] [--owner USER|-] [--stage STAGE] [--phase PHASE]",
            "Create a contact or update its profile",
            """
            Options left out keep their value. --owner - leaves the contact unassigned.
              --stage   lead, mql, sql, opportunity, customer
              --phase   discover, engage, nurture, win, closed
            """,
            Upsert),
        new("contact show", "<contactId>", "Show the contact's sidebar: ownership, engagement, handoff card, controls", "", Show),
        new("contact history", "<contactId>", "Show every card transition and action, oldest first", "", History),
        new("contact assign", "<contactId> <ownerUserId|-> [--card ID]",
            "Assign the contact to an owner (- for unassigned)",
            "An active handoff notification moves to the new owner's inbox. Without --card, acts on the contact's current card.",
            Assign),
        new("contact auto-engage", "<contactId> on|off [--card ID]", "Turn SI automation on or off",
            "Without --card, acts on the contact's current card.", AutoEngage),
    ];

    private static async Task<int> Upsert(CliContext ctx, Args a)
    {
        var request = new UpsertContactRequest { TenantId = ctx.Tenant };
        if (a.Option("--name") is { } name) request.DisplayName = name;
        if (a.Option("--owner") is { } owner) request.OwnerUserId = Owner(owner);
        if (a.Option("--stage") is { } stage) request.Stage = ProtoEnum.Parse<LifecycleStage>(stage, "--stage");
        if (a.Option("--phase") is { } phase) request.Phase = ProtoEnum.Parse<PipelinePhase>(phase, "--phase");
        request.ContactId = a.Positionals("contactId")[0];
        Render.Summary((await ctx.Contacts.UpsertContactAsync(request, cancellationToken: ctx.Cancel)).Contact);
        return 0;
    }

    private static async Task<int> Show(CliContext ctx, Args a)
    {
        Render.Contact(await ctx.GetContactAsync(a.Positionals("contactId")[0]));
        return 0;
    }

    private static async Task<int> History(CliContext ctx, Args a)
    {
        var request = new GetContactHistoryRequest { TenantId = ctx.Tenant, ContactId = a.Positionals("contactId")[0], PageSize = 500 };
        do
        {
            var page = await ctx.Contacts.GetContactHistoryAsync(request, cancellationToken: ctx.Cancel);
            foreach (var e in page.Entries)
            {
                var card = e.CardId.Length > 0 ? $"card {e.CardId} v{e.CardVersion}" : "";
                var actor = e.ActorUserId.Length > 0 ? e.ActorUserId : "system";
                Console.WriteLine($"{e.Sequence,4}  {Render.When(e.EntryTime)}  {ProtoEnum.Words(e.Kind),-19} {actor,-10} {card}");
                if (e.Detail.Length > 0) Console.WriteLine($"      {e.Detail}");
            }
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);
        return 0;
    }

    private static async Task<int> Assign(CliContext ctx, Args a)
    {
        var card = a.Option("--card");
        var p = a.Positionals("contactId", "ownerUserId|-");
        var response = await ctx.Contacts.AssignOwnerAsync(new()
        {
            TenantId = ctx.Tenant, ContactId = p[0], OwnerUserId = Owner(p[1]),
            CardId = await ctx.CardIdAsync(card, p[0], required: false),
        }, cancellationToken: ctx.Cancel);
        Render.Summary(response.Contact);
        return 0;
    }

    private static async Task<int> AutoEngage(CliContext ctx, Args a)
    {
        var card = a.Option("--card");
        var p = a.Positionals("contactId", "on|off");
        var enabled = p[1] switch
        {
            "on" => true,
            "off" => false,
            _ => throw new UsageException("the second argument must be on or off"),
        };
        var response = await ctx.Contacts.SetAutoEngageAsync(new()
        {
            TenantId = ctx.Tenant, ContactId = p[0], Enabled = enabled,
            CardId = await ctx.CardIdAsync(card, p[0], required: false),
        }, cancellationToken: ctx.Cancel);
        Render.Summary(response.Contact);
        return 0;
    }

    /// <summary>"-" is how the command line says "nobody".</summary>
    private static string Owner(string arg) => arg == "-" ? "" : arg;
}
