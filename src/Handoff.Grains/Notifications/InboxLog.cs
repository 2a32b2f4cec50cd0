namespace Handoff.Grains.Notifications;

/// <summary>
/// An inbox's log in memory: the kept notifications and changes, each in sequence order, the last sequence number
/// given, and where the kept log begins. Every entry takes the next number. Of storage it knows only which page an
/// entry lives on: <paramref name="pageChanged"/> hears of every page an entry was added to or changed on, and the
/// grain stores those pages.
/// </summary>
internal sealed class InboxLog(InboxOptions options, int pageSize, Action<long> pageChanged)
{
    /// <summary>The kept notifications, oldest first.</summary>
    private readonly List<NotificationRecord> notifications = [];

    /// <summary>The sequence of the kept notification of each delivery, so that a delivery finds it without a scan.</summary>
    private readonly Dictionary<string, long> sequenceOfDelivery = new(StringComparer.Ordinal);

    /// <summary>The kept changes, oldest first.</summary>
    private readonly List<NotificationChange> changes = [];

    public long LastSequence { get; private set; }

    /// <summary>The newest sequence number whose entry the inbox no longer keeps (0: none).</summary>
    public long TrimmedThrough { get; private set; }

    public long PageOf(long sequence) => (sequence - 1) / pageSize;

    /// <summary>Takes in a page read from storage at activation; pages come in sequence order.</summary>
    public void Load(InboxPage page)
    {
        notifications.AddRange(page.Notifications);
        foreach (var n in page.Notifications)
        {
            sequenceOfDelivery[n.Notice.DeliveryId] = n.Sequence;
        }

        changes.AddRange(page.Changes);
    }

    /// <summary>
    /// After the pages are loaded: the last sequence is the stored head's or the newest entry found, whichever is newer
    /// (a page may be written before the head).
    /// </summary>
    public void Loaded(long storedLastSequence) =>
        LastSequence = Math.Max(storedLastSequence, Math.Max(
            notifications.Count > 0 ? notifications[^1].Sequence : 0,
            changes.Count > 0 ? changes[^1].Sequence : 0));

    /// <summary>
    /// Where the kept log begins, from what a new activation found: every sequence number was given to a notification
    /// or a change, so the newest one kept as neither is the newest no longer kept.
    /// </summary>
    public void FindTrimmedThrough()
    {
        var sequence = LastSequence;
        int notification = notifications.Count - 1, change = changes.Count - 1;
        while (sequence > 0)
        {
            if (notification >= 0 && notifications[notification].Sequence == sequence)
            {
                notification--;
            }
            else if (change >= 0 && changes[change].Sequence == sequence)
            {
                change--;
            }
            else
            {
                break;
            }

            sequence--;
        }

        TrimmedThrough = sequence;
    }

    /// <summary>
    /// Keeps the newest notifications and the newest changes. When it dropped any, returns the first page that still
    /// holds a kept entry (the pages before it hold nothing kept); otherwise null.
    /// </summary>
    public long? Trim()
    {
        for (var i = 0; i < notifications.Count - options.MaxNotifications; i++)
        {
            var dropped = notifications[i];
            if (sequenceOfDelivery.TryGetValue(dropped.Notice.DeliveryId, out var sequence) && sequence == dropped.Sequence)
            {
                sequenceOfDelivery.Remove(dropped.Notice.DeliveryId);
            }
        }

        var droppedNotifications = TrimOldest(notifications, options.MaxNotifications, n => n.Sequence);
        var droppedChanges = TrimOldest(changes, options.MaxChanges, c => c.Sequence);
        if (!droppedNotifications && !droppedChanges)
        {
            return null;
        }

        var oldestKept = Math.Min(
            notifications.Count > 0 ? notifications[0].Sequence : long.MaxValue,
            changes.Count > 0 ? changes[0].Sequence : long.MaxValue);
        // Nothing kept (both limits at 0): only the last page stays.
        return PageOf(oldestKept == long.MaxValue ? LastSequence : oldestKept);
    }

    /// <summary>Drops the oldest entries past <paramref name="keep"/>; true when it dropped any.</summary>
    private bool TrimOldest<T>(List<T> entries, int keep, Func<T, long> sequenceOf)
    {
        var excess = entries.Count - keep;
        if (excess <= 0)
        {
            return false;
        }

        TrimmedThrough = Math.Max(TrimmedThrough, sequenceOf(entries[excess - 1]));
        entries.RemoveRange(0, excess);
        return true;
    }

    /// <summary>
    /// Adds the notice as a new notification, or updates the notification of the same delivery when the notice is of a
    /// newer card version. A redelivery (after a crash) or a late notice (the card moved on or was resolved) changes
    /// nothing.
    /// </summary>
    public InboxDelivery Deliver(NotificationNotice notice)
    {
        var index = sequenceOfDelivery.TryGetValue(notice.DeliveryId, out var sequence) ? IndexOf(sequence) : -1;
        if (index < 0)
        {
            var added = new NotificationRecord { Sequence = ++LastSequence, Notice = notice };
            notifications.Add(added);
            sequenceOfDelivery[notice.DeliveryId] = added.Sequence;
            Changed(added);
            return new InboxDelivery(added, Added: true, Update: null);
        }

        var placed = notifications[index];
        if (placed.Resolved || placed.Notice.CardVersion >= notice.CardVersion)
        {
            return new InboxDelivery(placed, Added: false, Update: null);
        }

        var updated = notifications[index] = placed with { Notice = notice };
        Changed(updated);
        return new InboxDelivery(updated, Added: false, Record(NotificationChangeKind.Updated, updated, notice.At));
    }

    /// <summary>Where the kept notification of <paramref name="sequence"/> is (the list is in sequence order), or -1.</summary>
    private int IndexOf(long sequence)
    {
        int low = 0, high = notifications.Count - 1;
        while (low <= high)
        {
            var middle = (low + high) >>> 1;
            var at = notifications[middle].Sequence;
            if (at == sequence)
            {
                return middle;
            }

            if (at < sequence)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return -1;
    }

    /// <summary>Resolves (or, when reassigned, marks reassigned) every unresolved notification of the card.</summary>
    public List<NotificationChange> Resolve(string cardId, NotificationResolution resolution, DateTimeOffset at)
    {
        var kind = resolution == NotificationResolution.Reassigned ? NotificationChangeKind.Reassigned : NotificationChangeKind.Resolved;
        var recorded = new List<NotificationChange>();
        for (var i = 0; i < notifications.Count; i++)
        {
            if (notifications[i].Notice.CardId == cardId && !notifications[i].Resolved)
            {
                notifications[i] = notifications[i] with { Resolution = resolution, ResolvedAt = at };
                Changed(notifications[i]);
                recorded.Add(Record(kind, notifications[i], at));
            }
        }

        return recorded;
    }

    /// <summary>Marks read the unread notifications named, and every one up to <paramref name="upToSequence"/>.</summary>
    public List<NotificationChange> MarkRead(IReadOnlyList<long> sequences, long upToSequence, DateTimeOffset at)
    {
        var wanted = sequences.ToHashSet();
        var recorded = new List<NotificationChange>();
        for (var i = 0; i < notifications.Count; i++)
        {
            var n = notifications[i];
            if (!n.Read && (n.Sequence <= upToSequence || wanted.Contains(n.Sequence)))
            {
                notifications[i] = n with { Read = true, ReadAt = at };
                Changed(notifications[i]);
                recorded.Add(Record(NotificationChangeKind.Read, notifications[i], at));
            }
        }

        return recorded;
    }

    /// <summary>The newest notifications first, before <paramref name="beforeSequence"/> when it is set.</summary>
    public NotificationPage List(long beforeSequence, int pageSize, bool unreadOnly)
    {
        var page = new List<NotificationRecord>(pageSize);
        var next = 0L;
        for (var i = notifications.Count - 1; i >= 0; i--)
        {
            var n = notifications[i];
            if ((beforeSequence > 0 && n.Sequence >= beforeSequence) || (unreadOnly && n.Read))
            {
                continue;
            }

            if (page.Count == pageSize)
            {
                next = page[^1].Sequence;
                break;
            }

            page.Add(n);
        }

        return new NotificationPage(page, next, UnreadCount(), LastSequence);
    }

    /// <summary>The entries after <paramref name="afterSequence"/> in sequence order, only those already stored.</summary>
    public InboxLogPage Read(long afterSequence, int max, long durableThrough)
    {
        var unread = UnreadCount();
        var entries = new List<InboxEntry>();
        var notification = IndexAfter(notifications, afterSequence, n => n.Sequence);
        var change = IndexAfter(changes, afterSequence, c => c.Sequence);
        while (entries.Count < max)
        {
            var nextNotification = notification < notifications.Count ? notifications[notification].Sequence : long.MaxValue;
            var nextChange = change < changes.Count ? changes[change].Sequence : long.MaxValue;
            if (Math.Min(nextNotification, nextChange) > durableThrough)
            {
                break;
            }

            entries.Add(nextNotification < nextChange ? Entry(notifications[notification++], unread) : Entry(changes[change++], unread));
        }

        return new InboxLogPage(entries, LastSequence, TrimmedThrough, unread);
    }

    /// <summary>The kept notifications and changes whose sequence numbers fall on one page.</summary>
    public InboxPage PageContent(long page)
    {
        var first = page * pageSize + 1;
        var last = (page + 1) * pageSize;
        return new InboxPage
        {
            Notifications = Between(notifications, first, last, n => n.Sequence),
            Changes = Between(changes, first, last, c => c.Sequence),
        };
    }

    public int UnreadCount() => notifications.Count(n => !n.Read);

    /// <summary>A notification added, as it is now (it may have been read since).</summary>
    public InboxEntry Entry(NotificationRecord added, int unreadCount) =>
        new() { Sequence = added.Sequence, Notification = NotificationAt(added.Sequence) ?? added, UnreadCount = unreadCount };

    /// <summary>A change, with its notification as it is now.</summary>
    public InboxEntry Entry(NotificationChange change, int unreadCount) =>
        new() { Sequence = change.Sequence, Change = change, Notification = NotificationAt(change.NotificationSequence), UnreadCount = unreadCount };

    private void Changed(NotificationRecord record) => pageChanged(PageOf(record.Sequence));

    /// <summary>Appends a change of <paramref name="notification"/> to the log.</summary>
    private NotificationChange Record(NotificationChangeKind kind, NotificationRecord notification, DateTimeOffset at)
    {
        var change = new NotificationChange { Sequence = ++LastSequence, Kind = kind, NotificationSequence = notification.Sequence, At = at };
        changes.Add(change);
        pageChanged(PageOf(change.Sequence));
        return change;
    }

    private NotificationRecord? NotificationAt(long sequence)
    {
        var index = IndexAfter(notifications, sequence - 1, n => n.Sequence);
        return index < notifications.Count && notifications[index].Sequence == sequence ? notifications[index] : null;
    }

    /// <summary>The index of the first entry after <paramref name="sequence"/> (Count when none): entries are in sequence order.</summary>
    private static int IndexAfter<T>(List<T> entries, long sequence, Func<T, long> sequenceOf)
    {
        int low = 0, high = entries.Count;
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (sequenceOf(entries[middle]) <= sequence)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    private static List<T> Between<T>(List<T> entries, long first, long last, Func<T, long> sequenceOf)
    {
        var start = IndexAfter(entries, first - 1, sequenceOf);
        return entries.GetRange(start, IndexAfter(entries, last, sequenceOf) - start);
    }
}

/// <summary>What delivering a notice did: added a notification, updated one (the change recorded), or nothing.</summary>
internal readonly record struct InboxDelivery(NotificationRecord Notification, bool Added, NotificationChange? Update)
{
    public bool ChangedAnything => Added || Update is not null;
}
