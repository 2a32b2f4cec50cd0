namespace Handoff.Grains.Notifications;

[GenerateSerializer, Alias("handoff.InboxState")]
public sealed class InboxState
{
    /// <summary>Oldest first; sequence numbers are contiguous from the oldest kept one.</summary>
    [Id(0)] public List<NotificationRecord> Notifications { get; set; } = [];
    [Id(1)] public long LastSequence { get; set; }
}
