using Handoff.Domain.Model;

namespace Handoff.Domain.Triggers;

/// <summary>A reason for a handoff, with the evidence that made it in words a person understands.</summary>
public sealed record ReasonFinding(HandoffReason Reason, IReadOnlyList<string> Evidence);
