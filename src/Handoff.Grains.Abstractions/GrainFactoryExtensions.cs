using Handoff.Grains.Contacts;
using Handoff.Grains.Handoffs;
using Handoff.Grains.Notifications;

namespace Handoff.Grains;

/// <summary>How a tenant's ids become grain references, in one place.</summary>
public static class GrainFactoryExtensions
{
    public static IContactGrain Contact(this IGrainFactory grains, string tenantId, string contactId) =>
        References<IContactGrain>.For(grains, GrainKeys.For(tenantId, contactId));

    public static INotificationInboxGrain Inbox(this IGrainFactory grains, string tenantId, InboxAddress inbox) =>
        References<INotificationInboxGrain>.For(grains, GrainKeys.For(tenantId, inbox.KeySuffix));

    public static ITenantHandoffIndexGrain HandoffIndex(this IGrainFactory grains, string tenantId) =>
        References<ITenantHandoffIndexGrain>.For(grains, tenantId);

    /// <summary>
    /// Grain references by key with the grain and interface types looked up once: GetGrain&lt;T&gt;(key) resolves them
    /// by reflection on every call, and ingest makes one such call per contact per batch.
    /// </summary>
    private static class References<T> where T : IGrainWithStringKey
    {
        private static Types? types;

        public static T For(IGrainFactory grains, string key)
        {
            if (types is not { } known)
            {
                var probe = (GrainReference)(object)grains.GetGrain<T>(key);
                types = known = new Types(probe.GrainId.Type, probe.InterfaceType);
            }

            return (T)grains.GetGrain(GrainId.Create(known.Grain, key), known.Interface);
        }
    }

    /// <summary>A reference type, so that a thread reads both types or none.</summary>
    private sealed record Types(GrainType Grain, GrainInterfaceType Interface);
}
