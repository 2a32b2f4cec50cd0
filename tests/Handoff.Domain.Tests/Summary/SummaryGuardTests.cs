using Handoff.Domain.Model;
using Handoff.Domain.Summary;
using Handoff.Domain.Tests.Support;
using Handoff.Domain.Triggers;

namespace Handoff.Domain.Tests.Summary;

public sealed class SummaryGuardTests
{
    private static readonly SummaryGuard Guard = new(new SummaryOptions());

    /// <summary>Brandon Lee, SQL in WIN, score 82 (+24), 2 appointments booked (yesterday), the Phona feature, 1 pricing page view.</summary>
    private static FactSheet Facts(string name = "Brandon Lee") => FactSheet.From(new SummaryInput(
        TestDomain.Profile(name: name),
        TestDomain.Assessment(82, Trend.Rising, 24, Sentiment.Positive),
        [new ReasonFinding(HandoffReason.BuyingSignals, ["Score 82 and rising (+24 in 3 days) in the WIN phase"])],
        [Ev.HoursAgo(EventType.AppointmentBooked, 30), Ev.HoursAgo(EventType.AppointmentBooked, 20), Ev.Feature("Phona", 5), Ev.HoursAgo(EventType.PageViewed, 4) with { PricingPage = true }],
        Ev.Now));

    private const string Good =
        "Brandon should hear from a person now because of strong buying signals. "
        + "Brandon booked 2 appointments yesterday, explored Phona and visited the pricing page once today. "
        + "Brandon is a highly engaged SQL in the WIN phase with a score of 82, up 24 points.";

    [Fact]
    public void A_summary_made_of_the_facts_passes()
    {
        var verdict = Guard.Check(Good, Facts());

        Assert.True(verdict.Passed, string.Join("; ", verdict.Problems));
    }

    [Theory]
    [InlineData("Brandon booked 5 appointments yesterday.", "the number 5")]
    [InlineData("Brandon booked two appointments and has a score of 91.", "the number 91")]
    [InlineData("Brandon wants to sign before Friday.", "the weekday Friday")]
    [InlineData("Brandon met the team on 14 March.", "the month March")]
    [InlineData("Brandon was introduced by Sarah from Acme.", "the name \"Sarah\"")]
    [InlineData("Brandon explored the Enterprise plan.", "the name \"Enterprise\"")]
    [InlineData("Brandon asked for a demo of Phona.", "mentions \"demo\"")]
    [InlineData("Brandon viewed the proposal.", "mentions \"proposal\"")]
    [InlineData("Brandon answered a call.", "mentions \"call\"")]
    [InlineData("Brandon expects a price of $1,200.", "the price $1,200")]
    [InlineData("Offer Brandon a 10% discount to close.", "offers or promises \"discount\"")]
    [InlineData("We will waive the setup fee for Brandon.", "offers or promises \"we will\"")]
    [InlineData("Brandon will decide tomorrow.", "\"tomorrow\" is not in the facts")]
    public void Each_unsupported_fact_is_named(string sentence, string problem)
    {
        var verdict = Guard.Check($"{sentence} Brandon is an SQL in the WIN phase.", Facts());

        Assert.False(verdict.Passed);
        Assert.Contains(verdict.Problems, p => p.Contains(problem, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Brandon is an SQL.", "1 sentences")]
    [InlineData("Brandon is an SQL. It is WIN. Call now. Book now. Do it.", "5 sentences")]
    public void Two_to_four_sentences(string text, string problem) =>
        Assert.Contains(Guard.Check(text, Facts()).Problems, p => p.StartsWith(problem, StringComparison.Ordinal));

    [Fact]
    public void The_contact_is_named_or_called_this_contact()
    {
        const string Unnamed = "A person should take over now because of strong buying signals. The contact is an SQL in the WIN phase.";

        Assert.Contains("does not name Brandon", Guard.Check(Unnamed, Facts()).Problems);
        Assert.Contains("does not say \"this contact\"", Guard.Check(Unnamed, Facts(name: "")).Problems);
        Assert.True(Guard.Check("This contact needs a person now. This contact is an SQL in the WIN phase.", Facts(name: "")).Passed);
    }

    [Fact]
    public void A_refusal_and_an_overlong_answer_fail()
    {
        Assert.False(Guard.Check("I'm sorry, but I can't help with that request.", Facts()).Passed);
        var rambling = string.Concat(Enumerable.Repeat("Brandon is an SQL in the WIN phase and has been engaged and active and interested, ", 10)) + "truly. Brandon booked.";
        Assert.Contains(Guard.Check(rambling, Facts()).Problems, p => p.Contains("characters, more than 700", StringComparison.Ordinal));
    }

    [Fact]
    public void Verbs_and_sentence_openings_are_not_taken_for_names_or_months()
    {
        var verdict = Guard.Check("Most recently, Brandon may want a call back. Brandon's score is 82 in the WIN phase.", Facts());

        Assert.DoesNotContain(verdict.Problems, p => p.Contains("May", StringComparison.Ordinal) || p.Contains("Most", StringComparison.Ordinal) || p.Contains("Brandon's", StringComparison.Ordinal));
        Assert.Contains(verdict.Problems, p => p.Contains("mentions \"call\"", StringComparison.Ordinal));
    }
}
