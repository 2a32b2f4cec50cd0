using System.Globalization;

namespace Handoff.Domain.Text;

/// <summary>
/// How durations, counts, lists and quotes read in evidence and summaries; the enums' words are in
/// <see cref="ValueWording"/> and <see cref="ReasonWording"/>.
/// </summary>
internal static class Wording
{
    /// <summary>Spans up to this long read in hours ("48 hours"); longer ones read in days ("3 days").</summary>
    private static readonly TimeSpan HoursUpTo = TimeSpan.FromHours(48);

    /// <summary>The ellipsis that marks a shortened quote.</summary>
    private const string Ellipsis = "\u2026";

    /// <summary>"5 minutes", "1 hour", "48 hours", "3 days".</summary>
    public static string Duration(TimeSpan span)
    {
        if (span < TimeSpan.FromHours(1))
        {
            return Count(Math.Max(1, (int)Math.Round(span.TotalMinutes, MidpointRounding.AwayFromZero)), "minute", "minutes");
        }

        return span <= HoursUpTo
            ? Count((int)Math.Round(span.TotalHours, MidpointRounding.AwayFromZero), "hour", "hours")
            : Count((int)Math.Round(span.TotalDays, MidpointRounding.AwayFromZero), "day", "days");
    }

    /// <summary>"1 appointment", "3 appointments".</summary>
    public static string Count(int n, string singular, string plural) =>
        string.Create(CultureInfo.InvariantCulture, $"{n} {(n == 1 ? singular : plural)}");

    /// <summary>"once", "twice", "3 times".</summary>
    public static string Times(int n) => n switch
    {
        1 => "once",
        2 => "twice",
        _ => Count(n, "time", "times"),
    };

    /// <summary>"a", "a and b", "a, b and c".</summary>
    public static string List(IReadOnlyList<string> items) => items.Count switch
    {
        0 => string.Empty,
        1 => items[0],
        _ => string.Join(", ", items.Take(items.Count - 1)) + " and " + items[^1],
    };

    /// <summary>The message in quotes, on one line, cut at a word boundary when longer than <paramref name="maxLength"/>.</summary>
    public static string Quote(string text, int maxLength)
    {
        var oneLine = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (oneLine.Length > maxLength)
        {
            var cut = oneLine.LastIndexOf(' ', maxLength);
            oneLine = oneLine[..(cut > 0 ? cut : maxLength)].TrimEnd(',', '.', ';', ':') + Ellipsis;
        }

        return "\"" + oneLine + "\"";
    }

    /// <summary>Signed number: "+24", "-12", "0".</summary>
    public static string Signed(int n) => n > 0
        ? "+" + n.ToString(CultureInfo.InvariantCulture)
        : n.ToString(CultureInfo.InvariantCulture);
}
