using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Handoff.Protos.V1;

namespace Handoff.Cli;

/// <summary>
/// A JSON-lines file of engagement events: one <see cref="EngagementEvent"/> per line in protobuf JSON.
/// Blank lines and lines starting with '#' are skipped.
/// </summary>
internal static class EventFile
{
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(false));

    /// <summary>Every event of the file, or every malformed line with its number (and no events).</summary>
    public static (List<EngagementEvent> Events, List<string> Errors) Read(string path)
    {
        var events = new List<EngagementEvent>();
        var errors = new List<string>();
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            var text = line.Trim();
            if (text.Length == 0 || text.StartsWith('#')) continue;
            try
            {
                events.Add(Parser.Parse<EngagementEvent>(text));
            }
            catch (Exception ex) when (ex is InvalidJsonException or InvalidProtocolBufferException or FormatException)
            {
                errors.Add($"{path}:{number}: {ex.Message}");
            }
        }
        return errors.Count == 0 ? (events, errors) : ([], errors);
    }

    /// <summary>
    /// Moves every occur_time and appointment_time by the same offset so that the newest event happens at
    /// <paramref name="now"/>; the spacing between events is kept. Returns the offset.
    /// </summary>
    public static TimeSpan ShiftToNow(IReadOnlyList<EngagementEvent> events, DateTimeOffset now)
    {
        var newest = events.Where(e => e.OccurTime is not null).Select(e => e.OccurTime.ToDateTimeOffset()).DefaultIfEmpty(now).Max();
        var offset = now - newest;
        foreach (var e in events)
        {
            if (e.OccurTime is not null) e.OccurTime = Shift(e.OccurTime, offset);
            if (e.AppointmentTime is not null) e.AppointmentTime = Shift(e.AppointmentTime, offset);
        }
        return offset;
    }

    private static Timestamp Shift(Timestamp time, TimeSpan offset) => Timestamp.FromDateTimeOffset(time.ToDateTimeOffset() + offset);
}
