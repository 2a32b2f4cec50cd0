using Handoff.Grains.Contacts;
using Handoff.Grains.Handoffs;
using Handoff.Grains.Notifications;

namespace Handoff.Grains;

/// <summary>How a tenant's ids become grain references, in one place.</summary>
public static class GrainFactoryExtensions
{
    public static IContactGrain Contact(this IGrainFactory grains, string tenantId, string contactId) =>
        grains.GetGrain<IContactGrain>(GrainKeys.For(tenantId, contactId));

    public static INotificationInboxGrain Inbox(this IGrainFactory grains, string tenantId, InboxAddress inbox) =>
        grains.GetGrain<INotificationInboxGrain>(GrainKeys.For(tenantId, inbox.KeySuffix));

    public static ITenantHandoffIndexGrain HandoffIndex(this IGrainFactory grains, string tenantId) =>
        grains.GetGrain<ITenantHandoffIndexGrain>(tenantId);
}
