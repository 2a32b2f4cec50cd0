using Handoff.Domain.Cards;
using Handoff.Domain.Model;
using Handoff.Domain.Triggers;

namespace Handoff.Domain.Tests.Cards;

public sealed class HandoffCardTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Sla = TimeSpan.FromHours(4);

    private static HandoffCard Raised() => HandoffCard.Raise(
        "card-1", "SI Human Handoff", "Asked for a person.",
        [new ReasonFinding(HandoffReason.NeedsHumanJudgement, ["asked for a person"])],
        71, Trend.Rising, PipelinePhase.Win, LifecycleStage.Sql, Now);

    [Fact]
    public void A_raised_card_is_active_version_one_with_its_reasons_found_now()
    {
        var card = Raised();

        Assert.Equal((1, HandoffCardStatus.Active, Now, Now), (card.Version, card.Status, card.CreatedAt, card.UpdatedAt));
        var reason = Assert.Single(card.Reasons);
        Assert.Equal((HandoffReason.NeedsHumanJudgement, Now), (reason.Reason, reason.DetectedAt));
        Assert.Equal(["asked for a person"], reason.Evidence);
        Assert.True(card.AwaitsEscalation);
    }

    [Fact]
    public void A_new_reason_goes_after_the_others_and_raises_the_version()
    {
        var later = Now.AddMinutes(30);

        var card = Raised().WithAddedReasons([new ReasonFinding(HandoffReason.BuyingSignals, ["viewed pricing"])], "Now buying.", later);

        Assert.Equal([HandoffReason.NeedsHumanJudgement, HandoffReason.BuyingSignals], card.Reasons.Select(r => r.Reason));
        Assert.Equal((2, "Now buying.", later, later), (card.Version, card.Summary, card.UpdatedAt, card.Reasons[1].DetectedAt));
    }

    [Fact]
    public void Resume_resolves_the_card_lists_the_press_and_marks_it_attended()
    {
        var at = Now.AddMinutes(5);

        var card = Raised().Resume("rep-1", at);

        Assert.Equal((HandoffCardStatus.Resolved, HandoffCardResolution.Resumed, at, "rep-1"), (card.Status, card.Resolution, card.ResolvedAt, card.ResolvedByUserId));
        Assert.Equal([new CardAction(CardActionKind.ResumeAutomation, "rep-1", at)], card.Actions);
        Assert.Equal(at, card.AttendedAt);
        Assert.False(card.AwaitsEscalation);
        Assert.Throws<InvalidOperationException>(() => card.Resume("rep-1", at));
    }

    [Fact]
    public void Resume_keeps_the_first_time_a_person_attended()
    {
        var card = Raised().Attended(Now.AddMinutes(1)).Resume("rep-1", Now.AddMinutes(5));

        Assert.Equal(Now.AddMinutes(1), card.AttendedAt);
    }

    [Fact]
    public void Actions_are_listed_while_the_card_is_active_only()
    {
        var active = Raised().WithAction(CardActionKind.PauseAllOutreach, "rep-1", Now.AddMinutes(1));
        var resolved = active.Resume("rep-1", Now.AddMinutes(2));

        Assert.Equal([CardActionKind.PauseAllOutreach], active.Actions.Select(a => a.Kind));
        Assert.Same(resolved, resolved.WithAction(CardActionKind.ResumeOutreach, "rep-1", Now.AddMinutes(3)));
    }

    [Fact]
    public void Only_the_first_action_marks_the_card_attended_and_an_attended_card_never_escalates()
    {
        var card = Raised().Attended(Now.AddMinutes(1)).Attended(Now.AddMinutes(2));

        Assert.Equal(Now.AddMinutes(1), card.AttendedAt);
        Assert.False(card.IsDueForEscalation(Now + Sla + Sla, Sla));
    }

    [Fact]
    public void An_unattended_active_card_escalates_once_when_its_SLA_has_passed()
    {
        var card = Raised();

        Assert.Equal(Now + Sla, card.EscalationDueAt(Sla));
        Assert.False(card.IsDueForEscalation(Now + Sla - TimeSpan.FromSeconds(1), Sla));
        Assert.True(card.IsDueForEscalation(Now + Sla, Sla));

        var escalated = card.Escalated(Now + Sla, Sla);

        Assert.Equal((Now + Sla, Now + Sla), (escalated.EscalatedAt, escalated.UpdatedAt));
        Assert.Equal(HandoffCardStatus.Active, escalated.Status);
        Assert.False(escalated.IsDueForEscalation(Now + Sla + Sla, Sla));
        Assert.Throws<InvalidOperationException>(() => escalated.Escalated(Now + Sla + Sla, Sla));
    }

    [Theory]
    [InlineData("card-1", "card-1", true)]
    [InlineData("", null, true)]
    [InlineData("card-1", null, false)]
    [InlineData("", "card-1", false)]
    [InlineData("card-0", "card-1", false)]
    public void An_action_must_name_the_card_the_contact_shows_now(string named, string? current, bool isCurrent)
    {
        Assert.Equal(isCurrent, HandoffCard.IsCurrent(named, current));
    }
}
