using Microsoft.AspNetCore.Authorization;

namespace Handoff.Server.Security;

/// <summary>
/// The authorization policies the gRPC services name in <c>[Authorize(Policy = ...)]</c>, one per set of roles allowed
/// to call a method, and the policy every call's request must meet (its tenant, inbox and actor). docs/security.md
/// lists every method with its policy's roles; a test holds the two together.
/// </summary>
public static class HandoffPolicies
{
    /// <summary>Ingest engagement events: <c>ingest</c>.</summary>
    public const string Ingest = "handoff.ingest";

    /// <summary>The sidebar, its actions and the inboxes: <c>agent</c> or <c>admin</c>.</summary>
    public const string Sidebar = "handoff.sidebar";

    /// <summary>Assign a contact's owner: <c>admin</c>.</summary>
    public const string AssignOwners = "handoff.assign-owners";

    /// <summary>Create or update a contact's profile (the CRM's copy): <c>admin</c> or <c>ingest</c>.</summary>
    public const string ContactSync = "handoff.contact-sync";

    /// <summary>Queue, list and check outreach: <c>agent</c>, <c>admin</c> or <c>ingest</c>.</summary>
    public const string Outreach = "handoff.outreach";

    /// <summary>Claim due messages for sending (the SI engine's sender): <c>ingest</c>.</summary>
    public const string SendOutreach = "handoff.send-outreach";

    /// <summary>The request itself: its tenant is the caller's, its inbox one the caller may read, its actor the caller.</summary>
    public const string RequestScope = "handoff.request-scope";

    public static void Add(AuthorizationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.AddPolicy(Ingest, p => p.RequireAuthenticatedUser().RequireRole(HandoffRoles.Ingest));
        options.AddPolicy(Sidebar, p => p.RequireAuthenticatedUser().RequireRole(HandoffRoles.Agent, HandoffRoles.Admin));
        options.AddPolicy(AssignOwners, p => p.RequireAuthenticatedUser().RequireRole(HandoffRoles.Admin));
        options.AddPolicy(ContactSync, p => p.RequireAuthenticatedUser().RequireRole(HandoffRoles.Admin, HandoffRoles.Ingest));
        options.AddPolicy(Outreach, p => p.RequireAuthenticatedUser().RequireRole(HandoffRoles.Agent, HandoffRoles.Admin, HandoffRoles.Ingest));
        options.AddPolicy(SendOutreach, p => p.RequireAuthenticatedUser().RequireRole(HandoffRoles.Ingest));
        options.AddPolicy(RequestScope, p => p.RequireAuthenticatedUser().AddRequirements(new RequestScopeRequirement()));

        // A method or endpoint that names no policy still needs a valid token: a new RPC is closed until it is opened.
        options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
    }
}
