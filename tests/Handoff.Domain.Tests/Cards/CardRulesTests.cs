using Handoff.Domain.Cards;
using Handoff.Domain.Model;
using Handoff.Domain.Tests.Support;
using Handoff.Domain.Triggers;

namespace Handoff.Domain.Tests.Cards;

public sealed class CardRulesTests
{
    private static readonly DateTimeOffset Now = Ev.Now;
    private static readonly ReasonFinding Buying = Findings.Of(HandoffReason.BuyingSignals);
    private static readonly ReasonFinding Critical = Findings.Of(HandoffReason.CriticalMoment);
    private static readonly ReasonFinding Exhausted = Findings.Of(HandoffReason.AutomationExhausted);
    private static readonly ReasonFinding Judgement = Findings.Of(HandoffReason.NeedsHumanJudgement);

    private readonly CardRules rules = new(new CardOptions { ReasonCooldown = TimeSpan.FromHours(24) });

    private static CardDecisionInput Input(
        IReadOnlyList<ReasonFinding> findings,
        HandoffReason[]? active = null,
        ResolvedCardCooldown? resumed = null,
        bool unsubscribed = false) => new(active, resumed, unsubscribed, findings, Now);

    private static ResolvedCardCooldown ResumedHoursAgo(double hours, params HandoffReason[] reasons) =>
        new(reasons, Now.AddHours(-hours));

    [Fact]
    public void No_findings_no_change()
    {
        Assert.Same(CardDecision.None, rules.Decide(Input([])));
        Assert.Same(CardDecision.None, rules.Decide(Input([], active: [HandoffReason.BuyingSignals])));
    }

    [Fact]
    public void Findings_without_a_card_raise_one_with_all_of_them()
    {
        var raise = Assert.IsType<CardDecision.Raise>(rules.Decide(Input([Buying, Critical])));

        Assert.Equal([Buying, Critical], raise.Reasons);
    }

    [Fact]
    public void Same_reason_is_suppressed_within_the_cooldown_after_resume()
    {
        var decision = rules.Decide(Input([Buying], resumed: ResumedHoursAgo(23, HandoffReason.BuyingSignals)));

        var suppressed = Assert.IsType<CardDecision.Suppressed>(decision);
        Assert.Equal(SuppressionCause.Cooldown, suppressed.Cause);
        Assert.Equal([Buying], suppressed.Findings);
    }

    [Fact]
    public void Every_reason_of_the_resolved_card_cools_down()
    {
        var resumed = ResumedHoursAgo(1, HandoffReason.BuyingSignals, HandoffReason.CriticalMoment);

        Assert.IsType<CardDecision.Suppressed>(rules.Decide(Input([Buying, Critical], resumed: resumed)));
    }

    [Theory]
    [InlineData(24)]
    [InlineData(30)]
    public void Same_reason_raises_again_once_the_cooldown_is_over(double hoursSinceResume)
    {
        var decision = rules.Decide(Input([Buying], resumed: ResumedHoursAgo(hoursSinceResume, HandoffReason.BuyingSignals)));

        Assert.Equal([Buying], Assert.IsType<CardDecision.Raise>(decision).Reasons);
    }

    [Fact]
    public void A_different_reason_raises_within_the_cooldown_with_all_findings()
    {
        var decision = rules.Decide(Input([Buying, Judgement], resumed: ResumedHoursAgo(1, HandoffReason.BuyingSignals)));

        Assert.Equal([Buying, Judgement], Assert.IsType<CardDecision.Raise>(decision).Reasons);
    }

    [Fact]
    public void Cooldown_length_is_configurable()
    {
        var shortCooldown = new CardRules(new CardOptions { ReasonCooldown = TimeSpan.FromHours(2) });

        Assert.IsType<CardDecision.Raise>(shortCooldown.Decide(Input([Buying], resumed: ResumedHoursAgo(3, HandoffReason.BuyingSignals))));
    }

    [Fact]
    public void Unsubscribed_contact_is_suppressed_not_raised()
    {
        var decision = rules.Decide(Input([Buying, Judgement], unsubscribed: true));

        var suppressed = Assert.IsType<CardDecision.Suppressed>(decision);
        Assert.Equal(SuppressionCause.Unsubscribed, suppressed.Cause);
        Assert.Equal([Buying, Judgement], suppressed.Findings);
    }

    [Fact]
    public void Unsubscribed_contact_active_card_is_not_updated()
    {
        Assert.Same(CardDecision.None, rules.Decide(Input([Buying, Judgement], active: [HandoffReason.BuyingSignals], unsubscribed: true)));
    }

    [Fact]
    public void Update_adds_only_reasons_not_on_the_active_card()
    {
        var decision = rules.Decide(Input([Buying, Exhausted, Critical], active: [HandoffReason.BuyingSignals]));

        Assert.Equal([Exhausted, Critical], Assert.IsType<CardDecision.Update>(decision).AddedReasons);
    }

    [Fact]
    public void Active_card_with_the_same_reasons_is_unchanged()
    {
        var decision = rules.Decide(Input([Buying], active: [HandoffReason.BuyingSignals, HandoffReason.CriticalMoment]));

        Assert.Same(CardDecision.None, decision);
    }
}
