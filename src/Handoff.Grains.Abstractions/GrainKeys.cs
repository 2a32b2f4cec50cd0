namespace Handoff.Grains;

/// <summary>
/// Grain keys are "{tenant}/{id}". Tenant ids never contain '/', so the first '/' always splits them,
/// while contact and user ids stay opaque.
/// </summary>
public static class GrainKeys
{
    public const char Separator = '/';

    public static string For(string tenantId, string id) => string.Concat(tenantId, "/", id);

    public static (string TenantId, string Id) Parse(string key)
    {
        var at = key.IndexOf(Separator);
        return at < 0 ? (key, "") : (key[..at], key[(at + 1)..]);
    }
}
