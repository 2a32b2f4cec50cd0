namespace Handoff.Grains.Notifications;

/// <summary>
/// The head of an inbox: its notifications are stored in pages of their own (<see cref="InboxPage"/>), so that a
/// delivery writes one page, not the whole inbox. Written before the inbox's first page (for its page size), then only
/// when the oldest page kept moves on.
/// </summary>
[GenerateSerializer, Alias("handoff.InboxState")]
public sealed class InboxState
{
    /// <summary>The last sequence number given when the head was written; the pages may hold later ones.</summary>
    [Id(1)] public long LastSequence { get; set; }

    /// <summary>The oldest page that may hold a kept notification or change.</summary>
    [Id(2)] public long FirstPage { get; set; }

    /// <summary>
    /// Sequence numbers per page of this inbox, written with the head before its first page; 0 in heads written before
    /// inboxes recorded it (their pages have <c>Handoff:Inbox:UnrecordedPageSize</c>).
    /// </summary>
    [Id(3)] public int PageSize { get; set; }
}

/// <summary>
/// One page of an inbox: the kept notifications and changes whose sequence numbers fall in it, each oldest first.
/// Every sequence number belongs to one of the two, so every page up to the last sequence was written.
/// </summary>
[GenerateSerializer, Alias("handoff.InboxPage")]
public sealed class InboxPage
{
    [Id(0)] public List<NotificationRecord> Notifications { get; set; } = [];

    /// <summary>Empty in pages written before inboxes recorded changes.</summary>
    [Id(1)] public List<NotificationChange> Changes { get; set; } = [];
}
