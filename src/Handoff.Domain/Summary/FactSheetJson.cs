using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Handoff.Domain.Text;

namespace Handoff.Domain.Summary;

/// <summary>
/// The fact sheet as the compact JSON a language model reads: words instead of enum numbers, each date with its weekday
/// and how many days before the sheet's moment it was. The same sheet always gives the same text, so its hash
/// (<see cref="Hash"/>) names the sheet: a summary cached under it fits every card with the same facts.
/// </summary>
public static class FactSheetJson
{
    /// <summary>Names as written ("María", "O'Neil"), not \u escapes: the model and the guard read them as text. Never embedded in HTML.</summary>
    private static readonly JsonSerializerOptions Json = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Of(FactSheet facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var json = new Sheet(
            facts.Name.Length > 0 ? facts.Name : null,
            ValueWording.Stage(facts.Stage),
            ValueWording.Phase(facts.Phase),
            facts.Score,
            ValueWording.Trend(facts.Trend).Word,
            facts.TrendDelta,
            ValueWording.Sentiment(facts.Sentiment).Fact,
            [.. facts.Reasons.Select(r => new ReasonJson(ReasonWording.Of(r.Reason).Fact, r.Evidence))],
            [.. facts.Events.Select(e => new EventJson(EventWording.Of(e.Kind, e.PricingPage).Noun, e.Count, Day(facts, e.LastAt)))],
            facts.Features.Count > 0 ? facts.Features : null,
            facts.Outreach is { } o
                ? new OutreachJson(o.Touches, [.. o.Channels.Select(ValueWording.Channel)], Day(facts, o.LastAt))
                : null,
            Day(facts, facts.AsOf));
        return JsonSerializer.Serialize(json, Json);
    }

    /// <summary>SHA-256 of <see cref="Of"/>, lower-case hex.</summary>
    public static string Hash(FactSheet facts) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Of(facts))));

    private static DayJson Day(FactSheet facts, DateTimeOffset at) => new(
        at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        at.UtcDateTime.DayOfWeek.ToString(),
        facts.DaysAgo(at));

    private sealed record Sheet(
        string? Name,
        string Stage,
        string Phase,
        int Score,
        string Trend,
        int TrendDelta,
        string Sentiment,
        IReadOnlyList<ReasonJson> Reasons,
        IReadOnlyList<EventJson> RecentEvents,
        IReadOnlyList<string>? FeaturesExplored,
        OutreachJson? SiOutreach,
        DayJson Today);

    private sealed record ReasonJson(string Reason, IReadOnlyList<string> Evidence);

    private sealed record EventJson(string Kind, int Count, DayJson Last);

    private sealed record OutreachJson(int AutomatedTouches, IReadOnlyList<string> Channels, DayJson Last);

    private sealed record DayJson(string Date, string Weekday, int DaysAgo);
}
