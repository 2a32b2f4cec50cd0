namespace Handoff.Grains.Storage;

/// <summary>FNV-1a over a string's characters: the same value in every process and release (string.GetHashCode is not).</summary>
internal static class Fnv64
{
    public static ulong Of(string value)
    {
        const ulong offsetBasis = 14695981039346656037;
        const ulong prime = 1099511628211;
        var hash = offsetBasis;
        foreach (var c in value)
        {
            hash = (hash ^ c) * prime;
        }

        return hash;
    }
}
