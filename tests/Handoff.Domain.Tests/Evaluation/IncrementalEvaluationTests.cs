using FsCheck.Xunit;
using Handoff.Domain.Cards;
using Handoff.Domain.Evaluation;
using Handoff.Domain.Model;
using Handoff.Domain.Scoring;
using Handoff.Domain.Triggers;

namespace Handoff.Domain.Tests.Evaluation;

/// <summary>
/// The incremental evaluation (events appraised once on arrival, the window kept in place) decides exactly as the full
/// one (the window trimmed anew and every event re-read at every evaluation): same window, score, trend, sentiment,
/// findings with their evidence word for word, and card decision, batch after batch of random history.
/// </summary>
public sealed class IncrementalEvaluationTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    [Property(Arbitrary = [typeof(HistoryScenarios)], MaxTest = 300)]
    public void Incremental_and_full_evaluation_agree(HistoryScenario scenario)
    {
        var scoring = new ScoringOptions { MaxRecentEvents = scenario.MaxRecentEvents, RecentEventWindow = TimeSpan.FromDays(10) };
        var sentiment = new SentimentAnalyzer(new SentimentOptions());
        var scorer = new EngagementScorer(scoring, sentiment);
        var triggers = new HandoffTriggerEvaluator(new TriggerOptions(), scorer, sentiment);
        var appraiser = new EventAppraiser(scorer, triggers);
        var assessor = new WindowAssessor(scorer);
        var windowTriggers = new WindowTriggerEvaluator(triggers, assessor);
        var cardRules = new CardRules(new CardOptions());

        IReadOnlyList<EngagementEvent> full = [];
        var incremental = new AppraisedWindow(scoring);
        var appendedAt = Start;
        foreach (var batch in scenario.Batches)
        {
            appendedAt = appendedAt.AddMinutes(batch.AppendAfterMinutes);
            var fresh = batch.Events.Select(e => e.ToEvent(appendedAt)).ToList();
            full = RecentEventWindow.Trim(full.Concat(fresh), appendedAt, scoring);
            foreach (var e in fresh)
            {
                incremental.Add(appraiser.Appraise(e));
            }

            incremental.Trim(appendedAt);
            Assert.Equal(full, incremental.Events);

            var profile = new ContactProfile("c-1", "Brandon Lee", "u-1", LifecycleStage.Sql, batch.Phase);
            DateTimeOffset? handledAt = batch.HandledMinutesAgo is { } ago ? appendedAt.AddMinutes(-ago) : null;
            foreach (var now in new[] { appendedAt, appendedAt.AddMinutes(batch.AskAfterMinutes) })
            {
                var assessment = scorer.Assess(full, now);
                Assert.Equal(assessment, assessor.Assess(incremental, now));
                Assert.Equal(scorer.ScoreAt(full, now.AddHours(-5)), assessor.ScoreAt(incremental, now.AddHours(-5)));

                var expected = triggers.Evaluate(profile, full, assessment, now, handledAt);
                var actual = windowTriggers.Evaluate(profile, incremental, assessment, now, handledAt);
                Assert.Equal(Describe(expected), Describe(actual));

                // As the contact asks: the active card's reasons are not looked for, and the decision is the same.
                var sought = windowTriggers.Evaluate(profile, incremental, assessment, now, handledAt, batch.ActiveCardReasons);
                Assert.Equal(Describe(expected.Where(f => batch.ActiveCardReasons?.Contains(f.Reason) != true).ToList()), Describe(sought));

                var cooldown = batch.ResumedReasons is { } resumed ? new ResolvedCardCooldown(resumed, now.AddMinutes(-batch.ResumedMinutesAgo)) : null;
                Assert.Equal(
                    Describe(cardRules.Decide(new CardDecisionInput(batch.ActiveCardReasons, cooldown, false, expected, now))),
                    Describe(cardRules.Decide(new CardDecisionInput(batch.ActiveCardReasons, cooldown, false, sought, now))));
            }
        }
    }

    private static List<string> Describe(IReadOnlyList<ReasonFinding> findings) =>
        findings.Select(f => $"{f.Reason}: {string.Join(" | ", f.Evidence)}").ToList();

    private static string Describe(CardDecision decision) => decision switch
    {
        CardDecision.Raise raise => $"raise {string.Join("; ", Describe(raise.Reasons))}",
        CardDecision.Update update => $"update {string.Join("; ", Describe(update.AddedReasons))}",
        CardDecision.Suppressed suppressed => $"suppressed {suppressed.Cause}: {string.Join("; ", Describe(suppressed.Findings))}",
        _ => decision.ToString() ?? "",
    };
}
