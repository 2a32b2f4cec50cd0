using Microsoft.Extensions.Logging;

namespace Handoff.Grains.Contacts;

/// <summary>Metrics and a log line for each card raised, resolved or escalated by a change applied (a replay after a crash reports again what it derives again).</summary>
internal sealed partial class CardTransitionReport(CardMetrics metrics, string tenantId, string contactId, ILogger logger)
{
    public void Report(CardState? before, CardState? after)
    {
        if (ReferenceEquals(before, after))
        {
            return;
        }

        metrics.Transition(before, after);
        var wasActive = before?.IsActive() == true;
        var isActive = after?.IsActive() == true;
        if (before is not null && wasActive && (after is null || after.CardId != before.CardId || !isActive))
        {
            var resolved = after?.CardId == before.CardId ? after : null;
            LogCardResolved(tenantId, contactId, before.CardId, resolved?.Resolution?.ToString() ?? "Replaced", resolved?.ResolvedByUserId ?? "");
        }

        if (after is not null && isActive && (before is null || before.CardId != after.CardId || !wasActive))
        {
            LogCardRaised(tenantId, contactId, after.CardId, string.Join(",", after.Reasons.Select(r => r.Reason)), after.ScoreAtRaise);
        }

        if (after is { EscalatedAt: { } escalatedAt } && (before?.CardId != after.CardId || before.EscalatedAt is null))
        {
            LogCardEscalated(tenantId, contactId, after.CardId, escalatedAt - after.CreatedAt);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Handoff card {CardId} raised for contact {ContactId} of tenant {TenantId}: {Reasons} at score {Score}.")]
    private partial void LogCardRaised(string tenantId, string contactId, string cardId, string reasons, int score);

    [LoggerMessage(Level = LogLevel.Information, Message = "Handoff card {CardId} of contact {ContactId} of tenant {TenantId} resolved ({Resolution}) by {ActorUserId}.")]
    private partial void LogCardResolved(string tenantId, string contactId, string cardId, string resolution, string actorUserId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Handoff card {CardId} of contact {ContactId} of tenant {TenantId} escalated to the team inbox after {Waited}.")]
    private partial void LogCardEscalated(string tenantId, string contactId, string cardId, TimeSpan waited);
}
