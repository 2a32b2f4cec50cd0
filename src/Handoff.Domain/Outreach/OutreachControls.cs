namespace Handoff.Domain.Outreach;

/// <summary>The contact's switches that decide whether a message may go out.</summary>
public sealed record OutreachControls(bool Unsubscribed, bool OutreachPaused, bool HandoffActive, bool AutoEngage);
