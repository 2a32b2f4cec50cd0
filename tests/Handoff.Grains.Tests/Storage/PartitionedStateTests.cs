using Handoff.Domain.Model;
using Handoff.Grains.Handoffs;
using Handoff.Grains.Notifications;
using Handoff.Grains.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace Handoff.Grains.Tests.Storage;

/// <summary>
/// The inbox stores its notifications in pages and the handoff index its entries in parts, so that a write carries
/// only what changed. What a user sees survives a restart exactly, and states stored whole before are carried over.
/// </summary>
public sealed class PartitionedStateTests
{
    private const string Tenant = "acme";

    [Fact]
    public async Task An_inbox_spread_over_pages_keeps_exactly_its_newest_notifications_and_their_flags_across_a_restart()
    {
        await using var store = await TestStore.CreateAsync(StoreKind.Sqlite);
        var settings = new Dictionary<string, string> { ["Handoff:Inbox:MaxNotifications"] = "5", ["Handoff:Inbox:PageSize"] = "2" };
        var cluster = await HandoffTestCluster.StartAsync(store, settings: settings);
        var user = Scenarios.NewUserId("pages");
        try
        {
            var inbox = cluster.Grains.UserInbox(Tenant, user);
            for (var n = 1; n <= 9; n++)
            {
                await inbox.Deliver(Notices.About(n, cluster.Clock.GetUtcNow()));
            }

            await inbox.MarkRead([6], 0);
            await inbox.Resolve("card-8", NotificationResolution.CardResolved, cluster.Clock.GetUtcNow());
        }
        finally
        {
            await cluster.StopAsync();
        }

        cluster = await cluster.StartAgainAsync();
        try
        {
            var inbox = cluster.Grains.UserInbox(Tenant, user);
            var page = await inbox.List(0, 100, unreadOnly: false);
            Assert.Equal([9L, 8, 7, 6, 5], page.Notifications.Select(n => n.Sequence));
            Assert.Equal((9L, 4), (page.LastSequence, page.UnreadCount));
            Assert.True(page.Notifications.Single(n => n.Sequence == 6).Read);
            Assert.Equal(NotificationResolution.CardResolved, page.Notifications.Single(n => n.Sequence == 8).Resolution);

            // Numbering goes on from the last page, and the pages no longer kept are gone from the store.
            Assert.Equal(10, (await inbox.Deliver(Notices.About(10, cluster.Clock.GetUtcNow()))).Sequence);
            var storage = cluster.SiloServices.GetRequiredKeyedService<IGrainStorage>(StorageNames.Handoff);
            var first = new GrainState<InboxPage>(new InboxPage());
            await storage.ReadStateAsync("inbox-page", GrainId.Create($"{inbox.GetGrainId().Type}.inbox-page", $"{inbox.GetGrainId().Key}/0"), first);
            Assert.False(first.RecordExists);
        }
        finally
        {
            await cluster.StopAsync();
        }
    }

    [Fact]
    public async Task An_inbox_and_an_index_stored_whole_are_carried_over_into_pages_and_parts()
    {
        await using var store = await TestStore.CreateAsync(StoreKind.Sqlite);
        var cluster = await HandoffTestCluster.StartAsync(store);
        var user = Scenarios.NewUserId("legacy");
        var tenant = Scenarios.NewTenantId();
        try
        {
            var now = cluster.Clock.GetUtcNow();
            var storage = cluster.SiloServices.GetRequiredKeyedService<IGrainStorage>(StorageNames.Handoff);
            var inbox = cluster.Grains.UserInbox(Tenant, user);
            var oldInbox = new InboxState { LastSequence = 2 };
            oldInbox.LegacyNotifications.Add(new NotificationRecord { Sequence = 1, Notice = Notices.About(1, now), Read = true, ReadAt = now });
            oldInbox.LegacyNotifications.Add(new NotificationRecord { Sequence = 2, Notice = Notices.About(2, now) });
            await storage.WriteStateAsync("inbox", inbox.GetGrainId(), new GrainState<InboxState>(oldInbox));
            var index = cluster.Grains.HandoffIndex(tenant);
            var oldIndex = new TenantHandoffIndexState();
            oldIndex.LegacyActive["contact-1"] = new ActiveHandoffEntry
            {
                ContactId = "contact-1", ContactDisplayName = "Contact 1", OwnerUserId = "", CardId = "card-1", CardVersion = 1,
                Reasons = [HandoffReason.BuyingSignals], ScoreAtRaise = 80, CreatedAt = now,
            };
            await storage.WriteStateAsync("handoff-index", index.GetGrainId(), new GrainState<TenantHandoffIndexState>(oldIndex));
        }
        finally
        {
            await cluster.StopAsync();
        }

        // Read (and rewritten in parts) by one silo, read back from the parts by the next.
        for (var run = 0; run < 2; run++)
        {
            cluster = await cluster.StartAgainAsync();
            try
            {
                var page = await cluster.Grains.UserInbox(Tenant, user).List(0, 100, unreadOnly: false);
                Assert.Equal([2L, 1], page.Notifications.Select(n => n.Sequence));
                Assert.Equal(1, page.UnreadCount);
                var active = await cluster.Grains.HandoffIndex(tenant).List(OwnerFilter.All, "", 0, 100);
                Assert.Equal("card-1", Assert.Single(active.Handoffs).CardId);
            }
            finally
            {
                await cluster.StopAsync();
            }
        }
    }
}
