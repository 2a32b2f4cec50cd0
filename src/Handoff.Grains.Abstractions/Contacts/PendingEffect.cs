using Handoff.Grains.Handoffs;
using Handoff.Grains.Notifications;

namespace Handoff.Grains.Contacts;

/// <summary>
/// Work a contact owes to other grains (inboxes, the tenant index, whose entry carries the card's escalation time).
/// Stored with the state change that caused it and removed only once done, so a crash between the two never loses a
/// notification or an index entry (an outbox). Every effect is idempotent at its receiver, so replaying one
/// after a crash is safe.
/// </summary>
[GenerateSerializer, Immutable, Alias("handoff.PendingEffect")]
public abstract record PendingEffect;

[GenerateSerializer, Immutable, Alias("handoff.DeliverNotification")]
public sealed record DeliverNotification(
    [property: Id(0)] InboxAddress Inbox,
    [property: Id(1)] NotificationNotice Notice) : PendingEffect;

[GenerateSerializer, Immutable, Alias("handoff.ResolveNotification")]
public sealed record ResolveNotification(
    [property: Id(0)] InboxAddress Inbox,
    [property: Id(1)] string CardId,
    [property: Id(2)] NotificationResolution Resolution,
    [property: Id(3)] DateTimeOffset At) : PendingEffect;

[GenerateSerializer, Immutable, Alias("handoff.IndexActiveHandoff")]
public sealed record IndexActiveHandoff([property: Id(0)] ActiveHandoffEntry Entry) : PendingEffect;

[GenerateSerializer, Immutable, Alias("handoff.UnindexHandoff")]
public sealed record UnindexHandoff(
    [property: Id(0)] string ContactId,
    [property: Id(1)] string CardId) : PendingEffect;

/// <summary>
/// Queued by earlier versions, which kept each card's escalation in a reminder of its contact; the tenant's index keeps
/// escalations now (<see cref="ActiveHandoffEntry.EscalatesAt"/>), so one still stored is delivered as the card's index
/// entry as it stands.
/// </summary>
[GenerateSerializer, Immutable, Alias("handoff.ScheduleEscalation")]
public sealed record ScheduleEscalation(
    [property: Id(0)] string CardId,
    [property: Id(1)] DateTimeOffset DueAt) : PendingEffect;

/// <summary>As <see cref="ScheduleEscalation"/>: queued by earlier versions, delivered as the card's index entry as it stands.</summary>
[GenerateSerializer, Immutable, Alias("handoff.CancelEscalation")]
public sealed record CancelEscalation([property: Id(0)] string CardId) : PendingEffect;
