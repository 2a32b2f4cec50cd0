using Handoff.Domain.Model;

namespace Handoff.Domain.Text;

/// <summary>How one kind of event reads.</summary>
/// <param name="Noun">Among the facts a language model is given: "appointment booked".</param>
/// <param name="Did">What the contact did, with how many times: "booked 2 appointments".</param>
/// <param name="Rank">Summaries name the most decisive behaviour first: the lower, the earlier.</param>
public sealed record EventWords(string Noun, Func<int, string> Did, int Rank);

/// <summary>The events a summary can mention, one entry per kind (the pricing page apart from other pages).</summary>
public static class EventWording
{
    public static WordingTable<EventType, EventWords> Table { get; } = new("event type", new Dictionary<EventType, EventWords>
    {
        [EventType.AppointmentBooked] = new("appointment booked", n => $"booked {Wording.Count(n, "appointment", "appointments")}", 1),
        [EventType.ProposalViewed] = new("proposal viewed", n => $"viewed the proposal {Wording.Times(n)}", 2),
        [EventType.AppointmentAttended] = new("appointment attended", n => $"attended {Wording.Count(n, "appointment", "appointments")}", 4),
        [EventType.FeatureExplored] = new("product feature explored", n => $"explored product features {Wording.Times(n)}", 5),
        [EventType.EmailReplied] = new("email reply", n => $"replied to {Wording.Count(n, "email", "emails")}", 6),
        [EventType.SmsReceived] = new("SMS received", n => $"sent {Wording.Count(n, "SMS message", "SMS messages")}", 7),
        [EventType.CallAnswered] = new("call answered", n => $"answered {Wording.Count(n, "call", "calls")}", 8),
        [EventType.FormSubmitted] = new("form submitted", n => $"submitted {Wording.Count(n, "form", "forms")}", 9),
        [EventType.AppointmentCancelled] = new("appointment cancelled", n => $"cancelled {Wording.Count(n, "appointment", "appointments")}", 10),
        [EventType.AppointmentNoShow] = new("appointment missed", n => $"missed {Wording.Count(n, "appointment", "appointments")}", 11),
        [EventType.EmailClicked] = new("email link clicked", n => $"clicked through {Wording.Count(n, "email", "emails")}", 12),
        [EventType.PageViewed] = new("page viewed", n => $"viewed {Wording.Count(n, "page", "pages")} of the website", 13),
        [EventType.EmailOpened] = new("email opened", n => $"opened {Wording.Count(n, "email", "emails")}", 14),
        [EventType.Unsubscribed] = new("unsubscribed", _ => "unsubscribed", 15),
        [EventType.SiTouchSent] = new("automated SI touch", n => $"received {Wording.Count(n, "automated touch", "automated touches")}", 16),
        [EventType.StageChanged] = new("lifecycle stage changed", _ => "moved to another lifecycle stage", 17),
        [EventType.PhaseChanged] = new("pipeline phase changed", _ => "moved to another pipeline phase", 18),
        [EventType.OwnerChanged] = new("owner changed", _ => "was given another owner", 19),
    });

    /// <summary>Views of the pricing page: a strong buying signal, so ranked with the proposal.</summary>
    public static EventWords PricingPage { get; } = new("pricing page viewed", n => $"visited the pricing page {Wording.Times(n)}", 3);

    public static EventWords Of(EventType kind, bool pricingPage = false) =>
        pricingPage && kind == EventType.PageViewed ? PricingPage : Table[kind];
}
