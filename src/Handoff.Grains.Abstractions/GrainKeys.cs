namespace Handoff.Grains;

/// <summary>
/// Grain keys are "{tenant}/{id}". Tenant ids never contain '/', so the first '/' always splits them, while contact
/// and user ids stay opaque. In the id part '{' and '}' are written as two control characters, which no id may hold:
/// Orleans' ADO.NET grain storage formats the key of a row it has just written with string.Format, which a brace
/// breaks (every write of that grain failed after storing its row). A key without braces is the id as it is, so keys
/// stored before this rule stand.
/// </summary>
public static class GrainKeys
{
    public const char Separator = '/';

    private const char OpenBrace = '\u0001';
    private const char CloseBrace = '\u0002';

    public static string For(string tenantId, string id) => string.Concat(tenantId, "/", Escape(id));

    public static (string TenantId, string Id) Parse(string key)
    {
        var at = key.IndexOf(Separator);
        return at < 0 ? (key, "") : (key[..at], Unescape(key[(at + 1)..]));
    }

    private static string Escape(string id) =>
        id.AsSpan().IndexOfAny('{', '}') < 0 ? id : id.Replace('{', OpenBrace).Replace('}', CloseBrace);

    private static string Unescape(string id) =>
        id.AsSpan().IndexOfAny(OpenBrace, CloseBrace) < 0 ? id : id.Replace(OpenBrace, '{').Replace(CloseBrace, '}');
}
