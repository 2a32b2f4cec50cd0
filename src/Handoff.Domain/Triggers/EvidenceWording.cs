using Handoff.Domain.Model;
using Handoff.Domain.Text;

namespace Handoff.Domain.Triggers;

/// <summary>
/// Every evidence sentence a handoff reason can carry, in one table, each with the numbers that made it; the
/// evaluator decides which hold and this says how they read.
/// </summary>
internal static class EvidenceWording
{
    public const string AsksForPerson = "Asked to speak with a person";
    public const string Negotiation = "Asked about price or terms";
    public const string Legal = "Raised a legal or contract question";
    public const string Complaint = "Complained";

    public static string BuyingSignals(int score, int trendDelta, TimeSpan trendWindow, PipelinePhase phase) =>
        $"Score {score} and rising ({Wording.Signed(trendDelta)} in {Wording.Duration(trendWindow)}) in the {ValueWording.Phase(phase)} phase";

    /// <param name="sinceLastResponse">How long ago the contact last responded; null when it never has.</param>
    public static string AutomationExhausted(int touches, IEnumerable<Channel> channels, TimeSpan? sinceLastResponse)
    {
        var since = sinceLastResponse is { } ago
            ? $" since the contact last responded {Wording.Duration(ago)} ago, none answered"
            : ", none answered; the contact has never responded";
        return $"{touches} automated touches over {Wording.List([.. channels.Select(ValueWording.Channel)])}{since}";
    }

    /// <param name="request">One of the request labels above.</param>
    public static string Judgement(string request, string text, int quoteMaxLength) => $"{request}: {Wording.Quote(text, quoteMaxLength)}";

    public static string LatestNegative(string text, int quoteMaxLength) => $"Latest message reads negative: {Wording.Quote(text, quoteMaxLength)}";

    public static string ProposalViews(int views, TimeSpan window) =>
        $"Viewed the proposal {Wording.Times(views)} in the last {Wording.Duration(window)}";

    public static string MeetingBooked(TimeSpan fromNow, PipelinePhase phase) =>
        $"Meeting booked for {Wording.Duration(fromNow)} from now, in the {ValueWording.Phase(phase)} phase";

    public static string ScoreJump(int jump, TimeSpan window, int before, int after) =>
        $"Score jumped {jump} points in the last {Wording.Duration(window)} (from {before} to {after})";
}
