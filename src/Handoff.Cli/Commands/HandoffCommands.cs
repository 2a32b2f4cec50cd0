using System.CommandLine;
using Handoff.Protos.V1;

namespace Handoff.Cli.Commands;

/// <summary>handoff: the card's two buttons, Resume Outreach, and the list of active cards.</summary>
internal static class HandoffCommands
{
    private const string CardNote = "Without --card, reads the contact's current card first and acts on it (a screen acting on what it shows).";

    private static readonly Argument<string> ContactId = Parameter.Word("contactId", "the contact");
    private static readonly Option<string> Reason = Parameter.Text("--reason", "TEXT", "why, for the audit trail");
    private static readonly Option<string> Owner = Parameter.Text("--owner", "USER", "only the cards of this owner");
    private static readonly Option<bool> Unassigned = Parameter.Flag("--unassigned", "only the cards of unassigned contacts");

    public static readonly Command[] All =
    [
        new("handoff resume", "Resume SI Automation: resolve the card and hand the contact back to SI",
            "Turns Auto-Engage on, lifts an outreach pause and releases held messages.\n" + CardNote, [ContactId, Card.Option], Resume),
        new("handoff pause", "Pause All Outreach: hold every queued message, SI and manual; the card stays active", CardNote,
            [ContactId, Card.Option, Reason], Pause),
        new("handoff resume-outreach", "Resume Outreach: lift a pause without touching the card", CardNote, [ContactId, Card.Option], ResumeOutreach),
        new("handoff card", "Show the contact's latest handoff card", "", [ContactId], ShowCard),
        new("handoff list", "List active handoff cards, the longest waiting first", "Without an option, lists every active card of the tenant.",
            [Owner, Unassigned], List)
        {
            Rules = [Parameter.AtMostOneOf("give --owner or --unassigned, not both", Owner, Unassigned)],
        },
    ];

    private static async Task<int> Resume(CliContext ctx, ParseResult parsed)
    {
        var (contactId, cardId) = await Target(ctx, parsed, required: true);
        var response = await ctx.Handoffs.ResumeAutomationAsync(new()
        {
            TenantId = ctx.Tenant, ContactId = contactId, CardId = cardId,
        }, cancellationToken: ctx.Cancel);
        Render.Summary(response.Contact);
        return 0;
    }

    private static async Task<int> Pause(CliContext ctx, ParseResult parsed)
    {
        var (contactId, cardId) = await Target(ctx, parsed, required: true);
        var response = await ctx.Handoffs.PauseAllOutreachAsync(new()
        {
            TenantId = ctx.Tenant, ContactId = contactId, CardId = cardId, Reason = parsed.GetValue(Reason) ?? "",
        }, cancellationToken: ctx.Cancel);
        Render.Summary(response.Contact);
        return 0;
    }

    private static async Task<int> ResumeOutreach(CliContext ctx, ParseResult parsed)
    {
        var (contactId, cardId) = await Target(ctx, parsed, required: false);
        var response = await ctx.Handoffs.ResumeOutreachAsync(new()
        {
            TenantId = ctx.Tenant, ContactId = contactId, CardId = cardId,
        }, cancellationToken: ctx.Cancel);
        Render.Summary(response.Contact);
        return 0;
    }

    private static async Task<int> ShowCard(CliContext ctx, ParseResult parsed)
    {
        var response = await ctx.Handoffs.GetHandoffCardAsync(new() { TenantId = ctx.Tenant, ContactId = parsed.GetRequiredValue(ContactId) },
            cancellationToken: ctx.Cancel);
        Render.Card(response.Card);
        return 0;
    }

    private static async Task<int> List(CliContext ctx, ParseResult parsed)
    {
        var request = new ListActiveHandoffsRequest { TenantId = ctx.Tenant, OwnerFilter = OwnerFilter.All, PageSize = 500 };
        if (parsed.GetValue(Owner) is { } owner) (request.OwnerFilter, request.OwnerUserId) = (OwnerFilter.Owner, owner);
        if (parsed.GetValue(Unassigned)) request.OwnerFilter = OwnerFilter.Unassigned;

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
    private static async Task<(string ContactId, string CardId)> Target(CliContext ctx, ParseResult parsed, bool required)
    {
        var contactId = parsed.GetRequiredValue(ContactId);
        return (contactId, await ctx.CardIdAsync(parsed.GetValue(Card.Option), contactId, required));
    }
}
