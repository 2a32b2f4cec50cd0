using Handoff.Domain.Model;
using Handoff.Domain.Triggers;

namespace Handoff.Domain.Tests.Support;

internal static class Findings
{
    /// <summary>The finding for <paramref name="reason"/>, or null when it did not fire.</summary>
    public static ReasonFinding? For(this IReadOnlyList<ReasonFinding> findings, HandoffReason reason) =>
        findings.SingleOrDefault(f => f.Reason == reason);

    public static ReasonFinding Of(HandoffReason reason) => new(reason, [reason.ToString()]);
}
