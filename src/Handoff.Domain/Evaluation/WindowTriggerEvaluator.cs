using Handoff.Domain.Model;
using Handoff.Domain.Scoring;
using Handoff.Domain.Triggers;

namespace Handoff.Domain.Evaluation;

/// <summary>
/// <see cref="HandoffTriggerEvaluator.Evaluate"/> on an <see cref="AppraisedWindow"/>: the same findings, evidence word for
/// word, from the facts worked out on arrival (tones, request kinds), by passes over the sorted window that neither
/// tokenise, classify nor allocate; only a finding that holds allocates its evidence.
/// </summary>
public sealed class WindowTriggerEvaluator
{
    private readonly TriggerOptions options;
    private readonly HandoffTriggerEvaluator reference;
    private readonly WindowAssessor assessor;

    public WindowTriggerEvaluator(HandoffTriggerEvaluator triggers, WindowAssessor assessor)
    {
        ArgumentNullException.ThrowIfNull(triggers);
        ArgumentNullException.ThrowIfNull(assessor);
        options = triggers.Options;
        reference = triggers;
        this.assessor = assessor;
    }

    /// <summary>
    /// The reasons that hold at <paramref name="now"/>, as <see cref="HandoffTriggerEvaluator.Evaluate"/> finds them, less
    /// the reasons of <paramref name="onActiveCard"/>: they are not looked for, since the card decision only adds reasons
    /// an active card does not give yet (and a hot contact's card keeps its reasons batch after batch).
    /// </summary>
    public IReadOnlyList<ReasonFinding> Evaluate(
        ContactProfile profile, AppraisedWindow window, EngagementAssessment assessment, DateTimeOffset now, DateTimeOffset? handledAt = null,
        IReadOnlyCollection<HandoffReason>? onActiveCard = null)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(assessment);
        var past = window.EndOfPast(now);
        if (past == 0)
        {
            return [];
        }

        List<ReasonFinding>? findings = null;
        if (Sought(HandoffReason.BuyingSignals))
        {
            Add(ref findings, HandoffReason.BuyingSignals, BuyingSignals(profile, assessment));
        }

        if (Sought(HandoffReason.AutomationExhausted))
        {
            Add(ref findings, HandoffReason.AutomationExhausted, AutomationExhausted(window, past, now, handledAt));
        }

        if (Sought(HandoffReason.NeedsHumanJudgement))
        {
            Add(ref findings, HandoffReason.NeedsHumanJudgement, NeedsHumanJudgement(window, past, now, handledAt));
        }

        if (Sought(HandoffReason.CriticalMoment))
        {
            Add(ref findings, HandoffReason.CriticalMoment, CriticalMoment(profile, window, past, assessment, now, handledAt));
        }

        return findings is null ? [] : findings;

        bool Sought(HandoffReason reason) => onActiveCard is null || !onActiveCard.Contains(reason);
    }

    private static void Add(ref List<ReasonFinding>? findings, HandoffReason reason, List<string>? evidence)
    {
        if (evidence is not null)
        {
            (findings ??= []).Add(new ReasonFinding(reason, evidence));
        }
    }

    /// <summary>Reasons made of moments count only what happened after the last resume (see the reference evaluator).</summary>
    private static bool Unhandled(in WindowEvent e, DateTimeOffset? handledAt) => handledAt is not { } handled || e.OccurredAt > handled;

    private List<string>? BuyingSignals(ContactProfile profile, EngagementAssessment assessment)
    {
        if (assessment.Score < options.BuyingSignalsMinScore
            || assessment.Trend != Trend.Rising
            || profile.Phase != options.BuyingSignalsPhase)
        {
            return null;
        }

        return [EvidenceWording.BuyingSignals(assessment.Score, assessment.TrendDelta, reference.Scorer.TrendWindow, profile.Phase)];
    }

    private List<string>? AutomationExhausted(AppraisedWindow window, int past, DateTimeOffset now, DateTimeOffset? handledAt)
    {
        DateTimeOffset? lastResponse = null;
        for (var i = 0; i < past; i++)
        {
            ref readonly var e = ref window[i];
            if (e.IsInboundResponse && (lastResponse is null || e.OccurredAt > lastResponse))
            {
                lastResponse = e.OccurredAt;
            }
        }

        var touches = 0;
        // Channel is a small enum (1..5): a bit per channel counts the distinct ones and lists them in order.
        var channels = 0UL;
        for (var i = 0; i < past; i++)
        {
            ref readonly var e = ref window[i];
            if (e.Type == EventType.SiTouchSent && Unhandled(e, handledAt) && (lastResponse is null || e.OccurredAt > lastResponse))
            {
                touches++;
                if (e.Channel is { } channel)
                {
                    channels |= 1UL << (int)channel;
                }
            }
        }

        if (touches < options.AutomationExhaustedMinTouches || System.Numerics.BitOperations.PopCount(channels) < options.AutomationExhaustedMinChannels)
        {
            return null;
        }

        var listed = new List<Channel>();
        for (var bit = 0; bit < 64; bit++)
        {
            if ((channels & (1UL << bit)) != 0)
            {
                listed.Add((Channel)bit);
            }
        }

        return [EvidenceWording.AutomationExhausted(touches, listed, now - lastResponse)];
    }

    /// <summary>
    /// Walks the messages newest first as the reference orders them (descending time and id; events equal in both keep
    /// their window order), noting per kind of request the first message that makes it.
    /// </summary>
    private List<string>? NeedsHumanJudgement(AppraisedWindow window, int past, DateTimeOffset now, DateTimeOffset? handledAt)
    {
        var from = now - options.JudgementLookback;
        Span<int> hits = stackalloc int[reference.JudgementKinds];
        hits.Fill(-1);
        var latest = -1;
        for (var end = past - 1; end >= 0 && window[end].OccurredAt >= from;)
        {
            var start = end;
            while (start > 0 && window.SameKey(start - 1, end))
            {
                start--;
            }

            for (var i = start; i <= end; i++)
            {
                ref readonly var e = ref window[i];
                if (!e.IsInboundMessage || !Unhandled(e, handledAt))
                {
                    continue;
                }

                latest = latest < 0 ? i : latest;
                for (var kind = 0; kind < hits.Length; kind++)
                {
                    if (hits[kind] < 0 && (e.Judgements & (1 << kind)) != 0)
                    {
                        hits[kind] = i;
                    }
                }
            }

            end = start - 1;
        }

        if (latest < 0)
        {
            return null;
        }

        List<string>? evidence = null;
        var quoted = false;
        for (var kind = 0; kind < hits.Length; kind++)
        {
            if (hits[kind] >= 0)
            {
                (evidence ??= []).Add(EvidenceWording.Judgement(reference.JudgementRequest(kind), window.TextAt(hits[kind])!, options.QuoteMaxLength));
                quoted |= window.SameId(hits[kind], latest);
            }
        }

        if (!quoted && window[latest].Tone == Sentiment.Negative)
        {
            (evidence ??= []).Add(EvidenceWording.LatestNegative(window.TextAt(latest)!, options.QuoteMaxLength));
        }

        return evidence;
    }

    private List<string>? CriticalMoment(
        ContactProfile profile, AppraisedWindow window, int past, EngagementAssessment assessment, DateTimeOffset now, DateTimeOffset? handledAt)
    {
        List<string>? evidence = null;
        var viewsFrom = now - options.ProposalViewWindow;
        var views = 0;
        for (var i = 0; i < past; i++)
        {
            ref readonly var e = ref window[i];
            if (e.Type == EventType.ProposalViewed && e.OccurredAt >= viewsFrom && Unhandled(e, handledAt))
            {
                views++;
            }
        }

        if (views >= options.ProposalViewsForCriticalMoment)
        {
            (evidence ??= []).Add(EvidenceWording.ProposalViews(views, options.ProposalViewWindow));
        }

        if (profile.Phase == options.MeetingPhase && NextMeeting(window, past, now, handledAt) is { } meeting)
        {
            (evidence ??= []).Add(EvidenceWording.MeetingBooked(meeting - now, profile.Phase));
        }

        var before = assessor.ScoreAt(window, now - options.ScoreJumpWindow);
        var jump = assessment.Score - before;
        if (jump >= options.ScoreJumpPoints)
        {
            (evidence ??= []).Add(EvidenceWording.ScoreJump(jump, options.ScoreJumpWindow, before, assessment.Score));
        }

        return evidence;
    }

    /// <summary>The earliest booking within the horizon not cancelled by a later event (the reference's rule).</summary>
    private DateTimeOffset? NextMeeting(AppraisedWindow window, int past, DateTimeOffset now, DateTimeOffset? handledAt)
    {
        DateTimeOffset? earliest = null;
        for (var i = 0; i < past; i++)
        {
            ref readonly var b = ref window[i];
            if (b.Type != EventType.AppointmentBooked || !Unhandled(b, handledAt)
                || !(b.AppointmentTime > now && b.AppointmentTime <= now + options.MeetingHorizon)
                || (earliest is not null && b.AppointmentTime >= earliest) || IsCancelled(window, i, past))
            {
                continue;
            }

            earliest = b.AppointmentTime;
        }

        return earliest;
    }

    /// <summary>A cancellation after the booking that names its appointment time, or none; only later events can be one.</summary>
    private static bool IsCancelled(AppraisedWindow window, int booking, int past)
    {
        ref readonly var b = ref window[booking];
        for (var j = booking + 1; j < past; j++)
        {
            ref readonly var c = ref window[j];
            if (c.Type == EventType.AppointmentCancelled && c.OccurredAt > b.OccurredAt
                && (c.AppointmentTime is null || c.AppointmentTime == b.AppointmentTime))
            {
                return true;
            }
        }

        return false;
    }
}
