using Handoff.Domain.Model;
using Handoff.Domain.Scoring;
using Handoff.Domain.Text;

namespace Handoff.Domain.Triggers;

/// <summary>
/// Decides which handoff reasons (SPEC section 4) hold for a contact right now, each with evidence a
/// salesperson can read: built only from the contact's events and assessment, with the numbers that made it.
/// Pure: "now" is passed in and events after it are ignored.
/// </summary>
public sealed class HandoffTriggerEvaluator
{
    private readonly TriggerOptions options;
    private readonly EngagementScorer scorer;
    private readonly SentimentAnalyzer sentiment;
    private readonly (string[][] Phrases, string Request)[] judgementChecks;

    public HandoffTriggerEvaluator(TriggerOptions options, EngagementScorer scorer, SentimentAnalyzer sentiment)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(scorer);
        ArgumentNullException.ThrowIfNull(sentiment);
        this.options = options;
        this.scorer = scorer;
        this.sentiment = sentiment;
        judgementChecks =
        [
            (TextTokens.Phrases(options.AsksForPersonPhrases), EvidenceWording.AsksForPerson),
            (TextTokens.Phrases(options.NegotiationPhrases), EvidenceWording.Negotiation),
            (TextTokens.Phrases(options.LegalPhrases), EvidenceWording.Legal),
            (TextTokens.Phrases(options.ComplaintPhrases), EvidenceWording.Complaint),
        ];
    }

    internal TriggerOptions Options => options;

    internal EngagementScorer Scorer => scorer;

    internal SentimentAnalyzer Analyzer => sentiment;

    /// <summary>How many kinds of request <see cref="JudgementsIn"/> tells apart (at most 32: they are bits of an int).</summary>
    internal int JudgementKinds => judgementChecks.Length;

    /// <summary>The evidence label of the request kind <paramref name="kind"/>.</summary>
    internal string JudgementRequest(int kind) => judgementChecks[kind].Request;

    /// <summary>The kinds of request <paramref name="text"/> makes, as bits by kind (bit 0: the first kind).</summary>
    internal int JudgementsIn(string text)
    {
        var words = TextTokens.Split(text);
        var kinds = 0;
        for (var kind = 0; kind < judgementChecks.Length; kind++)
        {
            if (TextTokens.ContainsAny(words, judgementChecks[kind].Phrases))
            {
                kinds |= 1 << kind;
            }
        }

        return kinds;
    }

    /// <summary>The reasons that hold at <paramref name="now"/>, in <see cref="HandoffReason"/> order; empty when none does.</summary>
    /// <param name="handledAt">
    /// When a person last resumed automation for this contact, having seen everything up to then. Reasons made of
    /// moments (messages, touches, proposal views, bookings) count only what happened after it, so an old message
    /// does not raise a new card once the cooldown is over; reasons made of state (score, trend, phase) still count.
    /// </param>
    public IReadOnlyList<ReasonFinding> Evaluate(
        ContactProfile profile, IReadOnlyList<EngagementEvent> events, EngagementAssessment assessment, DateTimeOffset now,
        DateTimeOffset? handledAt = null)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(assessment);
        var past = events.Where(e => e.OccurredAt <= now).ToList();
        var findings = new List<ReasonFinding>();
        if (past.Count == 0)
        {
            return findings;
        }

        var unhandled = handledAt is { } handled ? past.Where(e => e.OccurredAt > handled).ToList() : past;
        Add(findings, HandoffReason.BuyingSignals, BuyingSignals(profile, assessment));
        Add(findings, HandoffReason.AutomationExhausted, AutomationExhausted(past, unhandled, now));
        Add(findings, HandoffReason.NeedsHumanJudgement, NeedsHumanJudgement(unhandled, now));
        Add(findings, HandoffReason.CriticalMoment, CriticalMoment(profile, past, unhandled, assessment, now));
        return findings;
    }

    private static void Add(List<ReasonFinding> findings, HandoffReason reason, List<string> evidence)
    {
        if (evidence.Count > 0)
        {
            findings.Add(new ReasonFinding(reason, evidence));
        }
    }

    private List<string> BuyingSignals(ContactProfile profile, EngagementAssessment assessment)
    {
        if (assessment.Score < options.BuyingSignalsMinScore
            || assessment.Trend != Trend.Rising
            || profile.Phase != options.BuyingSignalsPhase)
        {
            return [];
        }

        return [EvidenceWording.BuyingSignals(assessment.Score, assessment.TrendDelta, scorer.TrendWindow, profile.Phase)];
    }

    /// <summary>Touches after the last inbound response are by definition unanswered.</summary>
    private List<string> AutomationExhausted(List<EngagementEvent> past, List<EngagementEvent> unhandled, DateTimeOffset now)
    {
        var lastResponse = past.Where(e => e.IsInboundResponse).Select(e => (DateTimeOffset?)e.OccurredAt).Max();
        var touches = unhandled
            .Where(e => e.Type == EventType.SiTouchSent && (lastResponse is null || e.OccurredAt > lastResponse))
            .ToList();
        var channels = touches.Where(t => t.Channel is not null).Select(t => t.Channel!.Value).Distinct().Order().ToList();
        if (touches.Count < options.AutomationExhaustedMinTouches || channels.Count < options.AutomationExhaustedMinChannels)
        {
            return [];
        }

        return [EvidenceWording.AutomationExhausted(touches.Count, channels, now - lastResponse)];
    }

    /// <summary>
    /// One line per kind of request (quoting the newest message that makes it), plus a negative tone of the
    /// latest message when that message is not already quoted.
    /// </summary>
    private List<string> NeedsHumanJudgement(List<EngagementEvent> past, DateTimeOffset now)
    {
        var messages = past
            .Where(e => e.IsInboundMessage && e.OccurredAt >= now - options.JudgementLookback)
            .OrderByDescending(e => e.OccurredAt)
            .ThenByDescending(e => e.EventId, StringComparer.Ordinal)
            .Select(e => (Event: e, Words: TextTokens.Split(e.Text!)))
            .ToList();
        var evidence = new List<string>();
        if (messages.Count == 0)
        {
            return evidence;
        }

        var quoted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (phrases, request) in judgementChecks)
        {
            var hit = messages.FirstOrDefault(m => TextTokens.ContainsAny(m.Words, phrases)).Event;
            if (hit is not null)
            {
                evidence.Add(EvidenceWording.Judgement(request, hit.Text!, options.QuoteMaxLength));
                quoted.Add(hit.EventId);
            }
        }

        var latest = messages[0].Event;
        if (!quoted.Contains(latest.EventId) && sentiment.Classify(latest.Text!) == Sentiment.Negative)
        {
            evidence.Add(EvidenceWording.LatestNegative(latest.Text!, options.QuoteMaxLength));
        }

        return evidence;
    }

    private List<string> CriticalMoment(
        ContactProfile profile, List<EngagementEvent> past, List<EngagementEvent> unhandled, EngagementAssessment assessment, DateTimeOffset now)
    {
        var evidence = new List<string>();

        var views = unhandled.Count(e => e.Type == EventType.ProposalViewed && e.OccurredAt >= now - options.ProposalViewWindow);
        if (views >= options.ProposalViewsForCriticalMoment)
        {
            evidence.Add(EvidenceWording.ProposalViews(views, options.ProposalViewWindow));
        }

        if (profile.Phase == options.MeetingPhase && NextMeeting(past, unhandled, now) is { } meeting)
        {
            evidence.Add(EvidenceWording.MeetingBooked(meeting - now, profile.Phase));
        }

        var before = scorer.ScoreAt(past, now - options.ScoreJumpWindow);
        var jump = assessment.Score - before;
        if (jump >= options.ScoreJumpPoints)
        {
            evidence.Add(EvidenceWording.ScoreJump(jump, options.ScoreJumpWindow, before, assessment.Score));
        }

        return evidence;
    }

    /// <summary>
    /// The earliest booked meeting within the horizon. Events carry no appointment id, so a later
    /// cancellation cancels a booking when it names the same appointment time or names none.
    /// </summary>
    private DateTimeOffset? NextMeeting(List<EngagementEvent> past, List<EngagementEvent> unhandled, DateTimeOffset now)
    {
        var cancellations = past.Where(e => e.Type == EventType.AppointmentCancelled).ToList();
        return unhandled
            .Where(b => b.Type == EventType.AppointmentBooked
                && b.AppointmentTime > now
                && b.AppointmentTime <= now + options.MeetingHorizon
                && !cancellations.Any(c => c.OccurredAt > b.OccurredAt && (c.AppointmentTime is null || c.AppointmentTime == b.AppointmentTime)))
            .Min(b => b.AppointmentTime);
    }
}
