using Handoff.Domain.Model;
using Handoff.Grains;
using Handoff.Grains.Contacts;
using Handoff.Grains.Journal;
using Handoff.Grains.Notifications;
using Handoff.Protos.V1;
using Handoff.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using EngagementEvent = Handoff.Domain.Model.EngagementEvent;
using EventType = Handoff.Domain.Model.EventType;
using HandoffReason = Handoff.Domain.Model.HandoffReason;
using InboxKind = Handoff.Grains.Notifications.InboxKind;
using NotificationKind = Handoff.Grains.Notifications.NotificationKind;
using NotificationPriority = Handoff.Protos.V1.NotificationPriority;

namespace Handoff.Server.Tests.Recovery;

/// <summary>
/// A contact stores a card with the notification it owes and delivers the notification after acknowledging; a crash
/// in between leaves the notification stored but undelivered. The restarted host finds such contacts through the
/// event journal and wakes them, so the owner is told without anyone touching the contact again.
/// </summary>
public sealed class CrashRecoveryTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_notification_stored_but_not_delivered_before_a_crash_reaches_the_inbox_after_the_restart()
    {
        var host = await ServerHost.StartAsync();
        try
        {
            var tenantId = ServerFixture.NewTenant();
            const string contactId = "c-interrupted";
            await LeaveAsACrashWouldAsync(host, tenantId, contactId, owner: "alice");

            host = await host.RestartAsync();

            var inbox = TestTenant.UserInbox("alice");
            var listed = await Wait.ForAsync(
                async () =>
                {
                    var page = await host.Notifications.ListNotificationsAsync(new ListNotificationsRequest { TenantId = tenantId, Inbox = inbox });
                    return page.Notifications.Count > 0 ? page : null;
                },
                "the undelivered notification in alice's inbox", Patience);

            var notification = Assert.Single(listed.Notifications);
            Assert.Equal((contactId, "card-interrupted", NotificationPriority.High), (notification.ContactId, notification.CardId, notification.Priority));
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    /// <summary>
    /// Writes what a silo killed right after storing a card leaves behind, for a contact that is not active: its state
    /// with the card's notification still owed, and the event that raised the card in the journal.
    /// </summary>
    private static async Task LeaveAsACrashWouldAsync(ServerHost host, string tenantId, string contactId, string owner)
    {
        var now = DateTimeOffset.UtcNow;
        var raising = new EngagementEvent { EventId = $"ev-{Guid.NewGuid():N}", Type = EventType.ProposalViewed, OccurredAt = now.AddMinutes(-1) };
        var journal = host.Services.GetRequiredService<IEventJournal>();
        Assert.Equal([null], await journal.AppendAsync(tenantId, [new JournalEntry(contactId, raising)], now));

        var notice = new NotificationNotice
        {
            DeliveryId = "card-interrupted:delivery",
            Kind = NotificationKind.Handoff,
            Priority = Handoff.Grains.Notifications.NotificationPriority.High,
            ContactId = contactId,
            ContactDisplayName = "Interrupted Contact",
            CardId = "card-interrupted",
            CardVersion = 1,
            Title = "SI Human Handoff: Interrupted Contact needs you now",
            Summary = "Viewed the proposal.",
            Reasons = [HandoffReason.BuyingSignals],
            At = now,
        };
        var state = new ContactState
        {
            Exists = true,
            OwnerUserId = owner,
            PendingEffects = [new DeliverNotification(new InboxAddress(InboxKind.User, owner), notice)],
        };
        var storage = host.Services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Handoff);
        await storage.WriteStateAsync("contact", host.Grains.Contact(tenantId, contactId).GetGrainId(), new GrainState<ContactState>(state));
    }
}
