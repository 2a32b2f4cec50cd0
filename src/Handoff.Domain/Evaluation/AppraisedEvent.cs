using Handoff.Domain.Model;

namespace Handoff.Domain.Evaluation;

/// <summary>
/// An event with what the evaluation needs of it, worked out once when it arrives (see <see cref="EventAppraiser"/>), so
/// that no later batch weighs, classifies or tokenises it again.
/// </summary>
/// <param name="Weight">Its score weight before decay (type weight, pricing bonus, tone of its text).</param>
/// <param name="Tone">The tone of its text for an inbound message; <see cref="Sentiment.Unknown"/> for any other event.</param>
/// <param name="Judgements">The kinds of request its text makes, one bit per kind, in the evaluator's order.</param>
public readonly record struct AppraisedEvent(EngagementEvent Event, double Weight, Sentiment Tone, int Judgements)
{
    /// <summary>An inbound message with words: the analyzer gives every text a tone other than Unknown.</summary>
    public bool IsInboundMessage => Tone != Sentiment.Unknown;
}
