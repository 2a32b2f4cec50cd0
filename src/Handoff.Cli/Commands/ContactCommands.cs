using System.CommandLine;
using Handoff.Protos.V1;

namespace Handoff.Cli.Commands;

/// <summary>contact: the sidebar, its profile, owner and Auto-Engage toggle, and its audit trail.</summary>
internal static class ContactCommands
{
    private const string CardNote = "Without --card, acts on the contact's current card.";

    private static readonly Argument<string> ContactId = Parameter.Word("contactId", "the contact");
    private static readonly Argument<string> NewOwner = Parameter.Word("ownerUserId|-", "the new owner, or - for unassigned");
    private static readonly Argument<string> OnOff = Parameter.OneOf("on|off", "whether SI automation may engage the contact", "on", "off");
    private static readonly Option<string> Name = Parameter.Text("--name", "NAME", "the display name");
    private static readonly Option<string> Owner = Parameter.Text("--owner", "USER|-", "the owner; - leaves the contact unassigned");
    private static readonly Option<LifecycleStage?> Stage = Parameter.Enum<LifecycleStage>("--stage", "STAGE", "the lifecycle stage");
    private static readonly Option<PipelinePhase?> Phase = Parameter.Enum<PipelinePhase>("--phase", "PHASE", "the pipeline phase");

    public static readonly Command[] All =
    [
        new("contact upsert", "Create a contact or update its profile", "Options left out keep their value.",
            [ContactId, Name, Owner, Stage, Phase], Upsert),
        new("contact show", "Show the contact's sidebar: ownership, engagement, handoff card, controls", "", [ContactId], Show),
        new("contact history", "Show every card transition and action, oldest first", "", [ContactId], History),
        new("contact assign", "Assign the contact to an owner (- for unassigned)",
            "An active handoff notification moves to the new owner's inbox. " + CardNote, [ContactId, NewOwner, Card.Option], Assign),
        new("contact auto-engage", "Turn SI automation on or off", CardNote, [ContactId, OnOff, Card.Option], AutoEngage),
    ];

    private static async Task<int> Upsert(CliContext ctx, ParseResult parsed)
    {
        var request = new UpsertContactRequest { TenantId = ctx.Tenant, ContactId = parsed.GetRequiredValue(ContactId) };
        if (parsed.GetValue(Name) is { } name) request.DisplayName = name;
        if (parsed.GetValue(Owner) is { } owner) request.OwnerUserId = OwnerId(owner);
        if (parsed.GetValue(Stage) is { } stage) request.Stage = stage;
        if (parsed.GetValue(Phase) is { } phase) request.Phase = phase;
        Render.Summary((await ctx.Contacts.UpsertContactAsync(request, cancellationToken: ctx.Cancel)).Contact);
        return 0;
    }

    private static async Task<int> Show(CliContext ctx, ParseResult parsed)
    {
        Render.Contact(await ctx.GetContactAsync(parsed.GetRequiredValue(ContactId)));
        return 0;
    }

    private static async Task<int> History(CliContext ctx, ParseResult parsed)
    {
        var request = new GetContactHistoryRequest { TenantId = ctx.Tenant, ContactId = parsed.GetRequiredValue(ContactId), PageSize = 500 };
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

    private static async Task<int> Assign(CliContext ctx, ParseResult parsed)
    {
        var contactId = parsed.GetRequiredValue(ContactId);
        var response = await ctx.Contacts.AssignOwnerAsync(new()
        {
            TenantId = ctx.Tenant, ContactId = contactId, OwnerUserId = OwnerId(parsed.GetRequiredValue(NewOwner)),
            CardId = await ctx.CardIdAsync(parsed.GetValue(Card.Option), contactId, required: false),
        }, cancellationToken: ctx.Cancel);
        Render.Summary(response.Contact);
        return 0;
    }

    private static async Task<int> AutoEngage(CliContext ctx, ParseResult parsed)
    {
        var contactId = parsed.GetRequiredValue(ContactId);
        var response = await ctx.Contacts.SetAutoEngageAsync(new()
        {
            TenantId = ctx.Tenant, ContactId = contactId, Enabled = parsed.GetRequiredValue(OnOff) == "on",
            CardId = await ctx.CardIdAsync(parsed.GetValue(Card.Option), contactId, required: false),
        }, cancellationToken: ctx.Cancel);
        Render.Summary(response.Contact);
        return 0;
    }

    /// <summary>"-" is how the command line says "nobody".</summary>
    private static string OwnerId(string arg) => arg == "-" ? "" : arg;
}
