using System.Collections.Concurrent;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Handoff.Protos.V1;

namespace Handoff.Server.Security;

/// <summary>A field of a request that the caller may not use as it did, and why.</summary>
public sealed record ScopeViolation(string Field, string Description);

/// <summary>
/// The part of every API request that says whose data it touches: <c>tenant_id</c>, an <c>inbox</c>, an
/// <c>actor_user_id</c>. Found by field name on the message's descriptor, so a new RPC is covered by its fields alone.
/// The rules (docs/security.md): the tenant is the caller's; an agent reads its own USER inbox, the UNASSIGNED and the
/// TEAM inbox, an admin any inbox of its tenant; the actor is the caller, unless the caller is a service account
/// (role <c>ingest</c>) acting for a user.
/// </summary>
public sealed class RequestScope
{
    private static readonly ConcurrentDictionary<MessageDescriptor, RequestScope> ByDescriptor = new();

    private readonly FieldDescriptor? tenant;
    private readonly FieldDescriptor? inbox;
    private readonly FieldDescriptor? actor;

    private RequestScope(MessageDescriptor descriptor)
    {
        tenant = StringField(descriptor, "tenant_id");
        actor = StringField(descriptor, "actor_user_id");
        inbox = descriptor.FindFieldByName("inbox") is { FieldType: FieldType.Message } field && field.MessageType == InboxRef.Descriptor
            ? field
            : null;
    }

    /// <summary>Whether requests of this kind name a tenant. Every handoff.v1 request does; one that did not would be refused.</summary>
    public bool HasTenant => tenant is not null;

    public static RequestScope Of(IMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return ByDescriptor.GetOrAdd(request.Descriptor, static d => new RequestScope(d));
    }

    /// <summary>
    /// What a request leaves out is the caller's: an empty tenant_id becomes the token's tenant, an empty actor_user_id
    /// the token's user, and a USER inbox without a user the caller's own inbox.
    /// </summary>
    public void FillDefaults(IMessage request, Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (tenant is not null && Get(tenant, request).Length == 0)
        {
            tenant.Accessor.SetValue(request, caller.TenantId);
        }

        if (actor is not null && Get(actor, request).Length == 0)
        {
            actor.Accessor.SetValue(request, caller.UserId);
        }

        if (Inbox(request) is { Kind: InboxKind.User, UserId.Length: 0 } own)
        {
            own.UserId = caller.UserId;
        }
    }

    /// <summary>Every way the request reaches beyond what the caller may touch; empty when it may be served.</summary>
    public IReadOnlyList<ScopeViolation> Check(IMessage request, Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var violations = new List<ScopeViolation>(0);
        if (tenant is null)
        {
            violations.Add(new ScopeViolation("tenant_id", "this method's requests name no tenant, so none may be served"));
        }
        else if (!string.Equals(Get(tenant, request), caller.TenantId, StringComparison.Ordinal))
        {
            violations.Add(new ScopeViolation("tenant_id", "names a tenant other than the caller's"));
        }

        if (Inbox(request) is { Kind: InboxKind.User } userInbox && !caller.IsIn(HandoffRoles.Admin)
            && !string.Equals(userInbox.UserId, caller.UserId, StringComparison.Ordinal))
        {
            violations.Add(new ScopeViolation("inbox.user_id",
                "names another user's inbox; an agent reads its own, the UNASSIGNED and the TEAM inbox (an admin reads any)"));
        }

        if (actor is not null && !caller.IsIn(HandoffRoles.Ingest)
            && !string.Equals(Get(actor, request), caller.UserId, StringComparison.Ordinal))
        {
            violations.Add(new ScopeViolation("actor_user_id",
                "names a user other than the caller; only a service account (role ingest) acts for another user"));
        }

        return violations;
    }

    private InboxRef? Inbox(IMessage request) => inbox?.Accessor.GetValue(request) as InboxRef;

    private static string Get(FieldDescriptor field, IMessage request) => (string)field.Accessor.GetValue(request);

    private static FieldDescriptor? StringField(MessageDescriptor descriptor, string name) =>
        descriptor.FindFieldByName(name) is { FieldType: FieldType.String, IsRepeated: false } field ? field : null;
}
