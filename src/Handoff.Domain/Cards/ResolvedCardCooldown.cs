using Handoff.Domain.Model;

namespace Handoff.Domain.Cards;

/// <summary>The last card resolved by Resume SI Automation: its reasons cool down from <paramref name="ResolvedAt"/>.</summary>
public sealed record ResolvedCardCooldown(IReadOnlyCollection<HandoffReason> Reasons, DateTimeOffset ResolvedAt);
