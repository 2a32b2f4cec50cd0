using Handoff.Domain.Model;
using Handoff.Grains.Contacts;
using Handoff.Grains.Notifications;

namespace Handoff.Grains.Tests.Support;

/// <summary>A contact whose handoff card is ACTIVE, as most action tests start.</summary>
public sealed record ActiveHandoff(string TenantId, string ContactId, string OwnerUserId, IContactGrain Contact, CardState Card, Events Events);

/// <summary>The arrangements many tests share, written once so each test shows only what it is about.</summary>
public static class Scenarios
{
    /// <summary>A user id no other test uses, so inboxes never mix between tests sharing a silo.</summary>
    public static string NewUserId(string name) => $"{name}-{Guid.NewGuid():N}";

    public static string NewTenantId() => $"t-{Guid.NewGuid():N}";

    /// <summary>An SQL contact in the WIN phase owned by <paramref name="owner"/>, made a rising buyer: its card is ACTIVE.</summary>
    public static async Task<ActiveHandoff> RaiseHandoffAsync(
        HandoffTestCluster cluster, DateTimeOffset now, string tenantId, string owner, string? contactId = null, string displayName = "Brandon Lee")
    {
        contactId ??= $"c-{Guid.NewGuid():N}";
        var contact = await CreateWinContactAsync(cluster.Grains, tenantId, contactId, owner, displayName);
        var events = new Events(now);
        await cluster.IngestAsync(contact, events.RisingBuyer());
        var card = (await contact.Get()).Card;
        Assert.True(card?.ToDomain() is { IsActive: true }, "the rising buyer should have raised an active card");
        return new ActiveHandoff(tenantId, contactId, owner, contact, card!, events);
    }

    /// <summary>An SQL contact in the WIN phase, without events (so without a card).</summary>
    public static async Task<IContactGrain> CreateWinContactAsync(
        IGrainFactory grains, string tenantId, string contactId, string owner, string displayName = "Brandon Lee")
    {
        var contact = grains.Contact(tenantId, contactId);
        await contact.Upsert(new ProfileUpdate
        {
            DisplayName = displayName,
            OwnerUserId = owner,
            Stage = LifecycleStage.Sql,
            Phase = PipelinePhase.Win,
        });
        return contact;
    }

    public static INotificationInboxGrain UserInbox(this IGrainFactory grains, string tenantId, string userId) =>
        grains.Inbox(tenantId, new InboxAddress(InboxKind.User, userId));

    /// <summary>Every notification an inbox holds about one contact, oldest first.</summary>
    public static async Task<IReadOnlyList<NotificationRecord>> NotificationsAbout(this INotificationInboxGrain inbox, string contactId) =>
        (await inbox.AllNotifications()).Where(n => n.Notice.ContactId == contactId).ToList();

    /// <summary>Every notification an inbox holds, oldest first.</summary>
    public static async Task<IReadOnlyList<NotificationRecord>> AllNotifications(this INotificationInboxGrain inbox) =>
        (await inbox.List(0, 10_000, unreadOnly: false)).Notifications.Reverse().ToList();

    /// <summary>The whole outbound queue of a contact.</summary>
    public static async Task<IReadOnlyList<OutreachMessageState>> AllMessages(this IContactGrain contact) =>
        (await contact.ListMessages(0, 1000)).Messages;

    /// <summary>The whole audit trail of a contact, read one page at a time.</summary>
    public static async Task<IReadOnlyList<HistoryRecord>> AllHistory(this IContactGrain contact, int pageSize = 100)
    {
        var entries = new List<HistoryRecord>();
        var after = 0L;
        do
        {
            var page = await contact.GetHistory(after, pageSize);
            entries.AddRange(page.Entries);
            after = page.NextAfterSequence;
        }
        while (after != 0);
        return entries;
    }

    public static NewOutreachMessage Si(string messageId = "", DateTimeOffset? sendAfter = null) => new()
    {
        MessageId = messageId,
        Source = MessageSource.Si,
        Channel = Channel.Email,
        Subject = "Following up",
        Body = "Hi, just checking in about the proposal.",
        SendAfter = sendAfter,
    };

    public static NewOutreachMessage Manual(string messageId = "", DateTimeOffset? sendAfter = null, string actor = "rep") => new()
    {
        MessageId = messageId,
        Source = MessageSource.Manual,
        Channel = Channel.Sms,
        Body = "Hi, this is your account rep. Can we talk today?",
        SendAfter = sendAfter,
        ActorUserId = actor,
    };
}
