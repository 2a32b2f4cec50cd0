using Orleans.Concurrency;

namespace Handoff.Grains.Notifications;

/// <summary>Receives an inbox's new log entries as they are stored. Held by a stream handler for as long as its subscriber listens.</summary>
public interface IInboxObserver : IGrainObserver
{
    /// <summary>The entries one call to the inbox stored, oldest first.</summary>
    [OneWay]
    Task OnEntries(IReadOnlyList<InboxEntry> entries);
}

/// <summary>One inbox: a user's, a tenant's unassigned inbox, or its team inbox. Key: "{tenant}/{InboxAddress.KeySuffix}".</summary>
[Alias("handoff.INotificationInboxGrain")]
public interface INotificationInboxGrain : IGrainWithStringKey
{
    /// <summary>Adds the notice, or updates the notification already placed under its delivery id.</summary>
    [Alias("Deliver")]
    Task<NotificationRecord> Deliver(NotificationNotice notice);

    /// <summary>Resolves the unresolved notifications of a card; a no-op when there are none.</summary>
    [Alias("Resolve")]
    Task Resolve(string cardId, NotificationResolution resolution, DateTimeOffset at);

    /// <summary>Newest first, older than <paramref name="beforeSequence"/> (0: from the newest).</summary>
    [Alias("List")]
    Task<NotificationPage> List(long beforeSequence, int pageSize, bool unreadOnly);

    /// <summary>
    /// The log's entries after <paramref name="afterSequence"/> that the inbox holds, oldest first, with the bounds a
    /// subscriber's cursor must keep within.
    /// </summary>
    [Alias("ReadLog")]
    Task<InboxLogPage> ReadLog(long afterSequence, int max);

    /// <summary>Returns the unread count afterwards.</summary>
    [Alias("MarkRead")]
    Task<int> MarkRead(IReadOnlyList<long> sequences, long upToSequence);

    /// <summary>Registers or renews a live subscriber; it must renew before the inbox's subscription lifetime runs out.</summary>
    [Alias("Subscribe")]
    Task Subscribe(IInboxObserver observer);

    [Alias("Unsubscribe")]
    Task Unsubscribe(IInboxObserver observer);

    /// <summary>Live subscribers registered now (for operations and leak checks).</summary>
    [Alias("SubscriberCount")]
    Task<int> SubscriberCount();
}
