using System.Text;
using Google.Protobuf.WellKnownTypes;
using Handoff.Protos.V1;

namespace Handoff.Cli;

/// <summary>How contacts, cards, notifications and messages read on a terminal.</summary>
internal static class Render
{
    private const int Width = 78;

    /// <summary>Local time with how long ago (or how soon): "2025-03-12 15:31 (2h ago)".</summary>
    public static string When(Timestamp? time)
    {
        if (time is null) return "-";
        var at = time.ToDateTimeOffset();
        var span = DateTimeOffset.UtcNow - at;
        var amount = span.Duration() switch
        {
            { TotalMinutes: < 1 } => "just now",
            { TotalHours: < 1 } d => $"{(int)d.TotalMinutes}m",
            { TotalDays: < 2 } d => $"{(int)d.TotalHours}h",
            var d => $"{(int)d.TotalDays}d",
        };
        var relative = amount == "just now" ? amount : span > TimeSpan.Zero ? $"{amount} ago" : $"in {amount}";
        return $"{at.ToLocalTime():yyyy-MM-dd HH:mm} ({relative})";
    }

    public static string Owner(string ownerUserId) => ownerUserId.Length == 0 ? "unassigned" : ownerUserId;

    public static string OnOff(bool on) => on ? "on" : "off";

    public static string Reasons(IEnumerable<HandoffReason> reasons) => string.Join(", ", reasons.Select(ProtoEnum.Words));

    /// <summary>One line after an action: what the sidebar looks like now.</summary>
    public static void Summary(Contact c)
    {
        var card = c.Card is null ? "no card" : $"card {c.Card.CardId} v{c.Card.Version} {ProtoEnum.Code(c.Card.Status)}";
        Console.WriteLine($"{c.ContactId}: {Name(c)} · owner {Owner(c.OwnerUserId)} · {ProtoEnum.Code(c.Stage)}/{ProtoEnum.Code(c.Phase)} · "
            + $"Auto-Engage {OnOff(c.AutoEngage)} · outreach {(c.OutreachPause?.Paused == true ? "paused" : "open")} · {card}");
    }

    /// <summary>The whole sidebar, top to bottom: ownership, engagement, the card, then the controls.</summary>
    public static void Contact(Contact c)
    {
        var e = c.Engagement ?? new Engagement();
        Console.WriteLine($"{Name(c)}  (contact {c.ContactId}, tenant {c.TenantId})");
        Field("Owner", Owner(c.OwnerUserId));
        Field("Stage", ProtoEnum.Code(c.Stage));
        Field("Phase", ProtoEnum.Code(c.Phase));
        Field("Score", $"{e.Score} / 100");
        Field("Trend", $"{ProtoEnum.Words(e.Trend)} ({e.TrendDelta:+0;-0;0})");
        Field("Sentiment", ProtoEnum.Words(e.Sentiment));
        Field("SI recommends", ProtoEnum.Words(e.Recommendation));
        Field("Activity", $"{e.TotalEventCount} events, last {When(e.LastEventTime)}");
        if (c.Card is not null)
        {
            Console.WriteLine();
            Card(c.Card);
            Console.WriteLine();
        }
        Field("Auto-Engage", OnOff(c.AutoEngage));
        var pause = c.OutreachPause;
        Field("Outreach", pause?.Paused == true
            ? $"paused by {pause.PausedByUserId}, {When(pause.PauseTime)}{(pause.Reason.Length > 0 ? $": \"{pause.Reason}\"" : "")}"
            : "not paused");
        Field("Unsubscribed", c.Unsubscribed ? "yes" : "no");
    }

    /// <summary>The SI Human Handoff card in a box, as highlighted on the sidebar.</summary>
    public static void Card(HandoffCard card)
    {
        var lines = new List<string>();
        void Add(string text, string first = "", string rest = "") =>
            lines.AddRange(Wrap(text, Width - 4 - first.Length).Select((l, i) => (i == 0 ? first : rest) + l));

        Add($"{ProtoEnum.Code(card.Status)} · card {card.CardId} · version {card.Version} · raised {When(card.CreateTime)}");
        Add($"When raised: score {card.ScoreAtRaise}, {ProtoEnum.Words(card.TrendAtRaise)}, "
            + $"{ProtoEnum.Code(card.StageAtRaise)} in {ProtoEnum.Code(card.PhaseAtRaise)}");
        if (card.Status == CardStatus.Resolved)
            Add($"Resolved ({ProtoEnum.Words(card.Resolution)}) by {card.ResolvedByUserId}, {When(card.ResolveTime)}");
        if (card.EscalateTime is not null)
            Add($"Escalated to the team inbox, {When(card.EscalateTime)}");
        lines.Add("");
        Add(card.Summary);
        lines.Add("");
        Add("Why a person is needed:");
        foreach (var reason in card.Reasons)
        {
            Add(Capitalized(ProtoEnum.Words(reason.Reason)), "  ", "  ");
            foreach (var evidence in reason.Evidence) Add(evidence, "    • ", "      ");
        }
        if (card.Actions.Count > 0)
        {
            Add("Actions taken:");
            foreach (var a in card.Actions) Add($"{Capitalized(ProtoEnum.Words(a.Kind))}: {a.ActorUserId}, {When(a.ActionTime)}", "  • ", "    ");
        }

        var label = card.Label.Length > 0 ? card.Label : "SI Human Handoff";
        Console.WriteLine($"┌─ {label} {new string('─', Width - label.Length - 5)}┐");
        foreach (var line in lines) Console.WriteLine($"│ {line.PadRight(Width - 4)} │");
        Console.WriteLine($"└{new string('─', Width - 2)}┘");
    }

    public static void Notification(Notification n)
    {
        var state = n.Resolved ? $"resolved ({ProtoEnum.Words(n.Resolution)})" : n.Read ? "read" : "unread";
        Console.WriteLine($"#{n.Sequence}  {ProtoEnum.Code(n.Priority)}  {n.Title}  [{state}]");
        var contact = n.ContactDisplayName.Length > 0 ? $"{n.ContactId} ({n.ContactDisplayName})" : n.ContactId;
        Console.WriteLine($"    contact {contact} · card {n.CardId} v{n.CardVersion} · {Reasons(n.Reasons)} · {When(n.CreateTime)}");
        foreach (var line in Wrap(n.Summary, Width - 4)) Console.WriteLine($"    {line}");
    }

    /// <summary>A change a watch reports: one line naming the notification, and the card as it is now when it was updated.</summary>
    public static void Change(NotificationChange c)
    {
        var what = c.Kind switch
        {
            NotificationChangeKind.Read => "read",
            NotificationChangeKind.Resolved => "resolved (card resolved)",
            NotificationChangeKind.Updated => "updated (new reason)",
            NotificationChangeKind.Reassigned => "moved away (contact reassigned)",
            _ => "changed",
        };
        var title = c.Notification is { } n ? $"  {n.Title}" : "";
        Console.WriteLine($"#{c.Sequence}  #{c.NotificationSequence} {what}{title}  · {When(c.ChangeTime)}");
        if (c.Kind == NotificationChangeKind.Updated && c.Notification is { } updated)
        {
            Console.WriteLine($"    card {updated.CardId} v{updated.CardVersion} · {Reasons(updated.Reasons)}");
            foreach (var line in Wrap(updated.Summary, Width - 4)) Console.WriteLine($"    {line}");
        }
    }

    public static void Message(OutreachMessage m)
    {
        var status = m.Status == MessageStatus.Held ? $"HELD ({ProtoEnum.Words(m.HoldReason)})" : ProtoEnum.Code(m.Status);
        var by = m.QueuedByUserId.Length > 0 ? $" by {m.QueuedByUserId}" : "";
        Console.WriteLine($"{m.MessageId}  {ProtoEnum.Code(m.Source)} {ProtoEnum.Words(m.Channel)}  {status}  queued {When(m.QueueTime)}{by}");
        if (m.SendTime is not null) Console.WriteLine($"    not before {When(m.SendTime)}");
        var text = m.Subject.Length > 0 ? $"{m.Subject}: {m.Body}" : m.Body;
        foreach (var line in Wrap(text, Width - 4)) Console.WriteLine($"    {line}");
    }

    private static string Name(Contact c) => c.DisplayName.Length > 0 ? c.DisplayName : "(no name)";

    private static void Field(string label, string value) => Console.WriteLine($"  {label,-14} {value}");

    private static string Capitalized(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];

    /// <summary>Word-wraps to <paramref name="width"/> columns; a word longer than a line is cut.</summary>
    private static IEnumerable<string> Wrap(string text, int width)
    {
        var line = new StringBuilder();
        foreach (var word in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width)
            {
                yield return line.ToString();
                line.Clear();
            }
            if (line.Length > 0) line.Append(' ');
            line.Append(word);
            while (line.Length > width)
            {
                yield return line.ToString(0, width);
                line.Remove(0, width);
            }
        }
        if (line.Length > 0) yield return line.ToString();
    }
}
