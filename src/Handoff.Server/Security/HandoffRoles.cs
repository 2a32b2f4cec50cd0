namespace Handoff.Server.Security;

/// <summary>The roles a token may carry (claim <see cref="TokenClaims.Roles"/>); what each may call is in docs/security.md.</summary>
public static class HandoffRoles
{
    /// <summary>A salesperson: the sidebar, the card's actions, their own inbox, the unassigned and team inboxes.</summary>
    public const string Agent = "agent";

    /// <summary>A sales manager: what an agent may do, plus assigning owners and reading any inbox of the tenant.</summary>
    public const string Admin = "admin";

    /// <summary>
    /// A service account of the SI engine or an integration: ingests events, syncs contacts from the CRM, queues SI
    /// messages and claims them for sending. It may name the user it acts for (actor_user_id).
    /// </summary>
    public const string Ingest = "ingest";

    public static readonly IReadOnlyList<string> All = [Agent, Admin, Ingest];
}
