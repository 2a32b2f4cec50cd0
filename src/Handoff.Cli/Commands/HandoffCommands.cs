using Handoff.Protos.V1;

namespace Handoff.Cli.Commands;

/// <summary>handoff: the card's two buttons, Resume Outreach, and the list of active cards.</summary>
internal static class HandoffCommands
{
    private const string CardNote = "Without --card, reads the contact's current card first and acts on it (a screen acting on what it shows).";

    public static readonly Command[] All =
    [
        new("handoff resume", "<contactId> [--card ID]",
            "Resume SI Automation: resolve the card and hand the contact back to SI",
            "Turns Auto-Engage on, lifts an outreach pause and releases held messages.\n" + CardNote, Resume),
        new("handoff pause", "<contactId> [--card ID] [--reason TEXT]",
            "Pause All Outreach: hold every queued message, SI and manual; the card stays active", CardNote, Pause),
        new("handoff resume-outreach", "<contactId> [--card ID]",
            "Resume Outreach: lift a pause without touching the card", CardNote, ResumeOutreach),
        new("handoff card", "<contactId>", "Show the contact's latest handoff card", "", Card),
        new("handoff list", "[--owner USER | --unassigned]", "List active handoff cards, the longest waiting first",
            "Without an option, lists every active card of the tenant.", List),
    ];

    private static async Task<int> Resume(CliContext ctx, Args a)
    {
        var (contactId, cardId) = await Target(ctx, a, required: true);
        var response = await ctx.Handoffs.ResumeAutomationAsync(new()
        {
            TenantId = ctx.Tenant, ContactId = contactId, CardId = cardId,
        }, cancellationToken: ctx.Cancel);
        Render.Summary(response.Contact);
        return 0;
    }

    private static async Task<int> Pause(CliContext ctx, Args a)
    {
        var reason = a.Option("--reason") ?? "";
        var (contactId, cardId) = await Target(ctx, a, required: true);
        var response = await ctx.Handoffs.PauseAllOutreachAsync(new()
        {
            TenantId = ctx.Tenant, ContactId = contactId, CardId = cardId, Reason = reason,
        }, cancellationToken: ctx.Cancel);
        Render.Summary(response.Contact);
        return 0;
    }

    private static async Task<int> ResumeOutreach(CliContext ctx, Args a)
    {
        var (contactId, cardId) = await Target(ctx, a, required: false);
        var response = await ctx.Handoffs.ResumeOutreachAsync(new()
        {
            TenantId = ctx.Tenant, ContactId = contactId, CardId = cardId,
        }, cancellationToken: ctx.Cancel);
        Render.Summary(response.Contact);
        return 0;
    }

    private static async Task<int> Card(CliContext ctx, Args a)
    {
        var response = await ctx.Handoffs.GetHandoffCardAsync(new() { TenantId = ctx.Tenant, ContactId = a.Positionals("contactId")[0] },
            cancellationToken: ctx.Cancel);
        Render.Card(response.Card);
        return 0;
    }

    private static async Task<int> List(CliContext ctx, Args a)
    {
        var request = new ListActiveHandoffsRequest { TenantId = ctx.Tenant, OwnerFilter = OwnerFilter.All, PageSize = 500 };
        var owner = a.Option("--owner");
        var unassigned = a.Flag("--unassigned");
        a.Positionals();
        if (owner is not null && unassigned) throw new UsageException("give --owner or --unassigned, not both");
        if (owner is not null) (request.OwnerFilter, request.OwnerUserId) = (OwnerFilter.Owner, owner);
        if (unassigned) request.OwnerFilter = OwnerFilter.Unassigned;

        var count = 0;
        do
        {
            var page = await ctx.Handoffs.ListActiveHandoffsAsync(request, cancellationToken: ctx.Cancel);
            foreach (var h in page.Handoffs)
            {
                count++;
                Console.WriteLine($"{h.ContactId} ({h.ContactDisplayName}) · owner {Render.Owner(h.OwnerUserId)} · card {h.CardId} v{h.CardVersion}"
                    + $" · score {h.ScoreAtRaise} · raised {Render.When(h.CreateTime)}");
                Console.WriteLine($"    {Render.Reasons(h.Reasons)}");
            }
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);
        Console.WriteLine($"{count} active handoff(s)");
        return 0;
    }

    /// <summary>The contact and the card to act on: --card, or the contact's current card.</summary>
    private static async Task<(string ContactId, string CardId)> Target(CliContext ctx, Args a, bool required)
    {
        var card = a.Option("--card");
        var contactId = a.Positionals("contactId")[0];
        return (contactId, await ctx.CardIdAsync(card, contactId, required));
    }
}
