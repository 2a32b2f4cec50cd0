using System.Reflection;
using Google.Protobuf.Reflection;

namespace Handoff.Cli;

/// <summary>
/// Proto enum values by their short name: LIFECYCLE_STAGE_SQL is "SQL" on screen and "sql" on the command line.
/// </summary>
internal static class ProtoEnum
{
    /// <summary>The short upper-case name ("SQL", "BUYING_SIGNALS"); "-" for the zero value.</summary>
    public static string Code<T>(T value) where T : struct, Enum =>
        IsZero(value) ? "-" : Names<T>.Of.GetValueOrDefault(value, value.ToString());

    /// <summary>The short name as lower-case words ("buying signals").</summary>
    public static string Words<T>(T value) where T : struct, Enum => Code(value).Replace('_', ' ').ToLowerInvariant();

    /// <summary>What the command line accepts: every non-zero value's short name in lower case.</summary>
    public static IEnumerable<string> Choices<T>() where T : struct, Enum => Names<T>.Of.Values.Select(n => n.ToLowerInvariant());

    /// <summary>Reads a short name, any case, '-' or '_' between words: "sql", "buying-signals".</summary>
    public static bool TryParse<T>(string text, out T value) where T : struct, Enum
    {
        var wanted = text.Replace('-', '_');
        foreach (var (candidate, name) in Names<T>.Of)
        {
            if (string.Equals(name, wanted, StringComparison.OrdinalIgnoreCase))
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }

    private static bool IsZero<T>(T value) where T : struct, Enum => EqualityComparer<T>.Default.Equals(value, default);

    private static class Names<T> where T : struct, Enum
    {
        /// <summary>Every non-zero value and its proto name without the enum's prefix.</summary>
        public static readonly Dictionary<T, string> Of = Build();

        private static Dictionary<T, string> Build()
        {
            var original = typeof(T).GetFields(BindingFlags.Public | BindingFlags.Static).ToDictionary(
                f => (T)f.GetValue(null)!, f => f.GetCustomAttribute<OriginalNameAttribute>()?.Name ?? f.Name);
            var prefix = original.Single(p => IsZero(p.Key)).Value[..^"UNSPECIFIED".Length];
            return original.Where(p => !IsZero(p.Key)).ToDictionary(p => p.Key, p => p.Value[prefix.Length..]);
        }
    }
}
