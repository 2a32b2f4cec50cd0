using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Handoff.Server.Validation;

/// <summary>Opaque page tokens (AIP-158): a position, wrapped so that clients do not build their own.</summary>
public static class PageToken
{
    private const string Prefix = "p1:";

    public static string Encode(long position) =>
        position <= 0 ? "" : Base64Url.EncodeToString(Encoding.ASCII.GetBytes(Prefix + position.ToString(CultureInfo.InvariantCulture)));

    public static bool TryDecode(string token, out long position)
    {
        position = 0;
        if (token.Length == 0)
        {
            return true;
        }

        try
        {
            var text = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(token));
            return text.StartsWith(Prefix, StringComparison.Ordinal)
                && long.TryParse(text.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out position)
                && position > 0;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
