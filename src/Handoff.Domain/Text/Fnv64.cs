namespace Handoff.Domain.Text;

/// <summary>
/// FNV-1a over a string's characters: the same value in every process and release (string.GetHashCode is not), so it
/// may be stored (the event ids a contact has seen) and may place things (a contact's part of the tenant's index).
/// </summary>
public static class Fnv64
{
    private const ulong OffsetBasis = 14695981039346656037;
    private const ulong Prime = 1099511628211;

    public static ulong Of(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var hash = OffsetBasis;
        foreach (var c in value)
        {
            hash = (hash ^ c) * Prime;
        }

        return hash;
    }
}
