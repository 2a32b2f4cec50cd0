using Handoff.Grains.Contacts;
using Handoff.Grains.Handoffs;
using Handoff.Grains.Notifications;

namespace Handoff.Grains;

/// <summary>How a tenant's ids become grain references, in one place.</summary>
public static class GrainFactoryExtensions
{
    public static IContactGrain Contact(this IGrainFactory grains, string tenantId, string contactId) =>
        grains.ByKey<IContactGrain>(GrainKeys.For(tenantId, contactId));

    public static INotificationInboxGrain Inbox(this IGrainFactory grains, string tenantId, InboxAddress inbox) =>
        grains.ByKey<INotificationInboxGrain>(GrainKeys.For(tenantId, inbox.KeySuffix));

    public static ITenantHandoffIndexGrain HandoffIndex(this IGrainFactory grains, string tenantId) =>
        grains.ByKey<ITenantHandoffIndexGrain>(tenantId);

    /// <summary>
    /// A grain reference by key with the grain and interface types looked up once: GetGrain&lt;T&gt;(key) resolves them
    /// by reflection on every call, and ingest makes one such call per contact per batch.
    /// </summary>
    public static T ByKey<T>(this IGrainFactory grains, string key) where T : IGrainWithStringKey => References<T>.For(grains, key);

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
