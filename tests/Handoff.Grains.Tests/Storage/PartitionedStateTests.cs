using System.Text.Json;
using Handoff.Grains.Notifications;
using Handoff.Grains.Storage;
using Handoff.Grains.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;

namespace Handoff.Grains.Tests.Storage;

/// <summary>
/// The inbox stores its notifications in pages and the handoff index its entries in parts, so that a write carries
/// only what changed. What a user sees survives a restart exactly.
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
            Assert.Equal((11L, 4), (page.LastSequence, page.UnreadCount));
            Assert.True(page.Notifications.Single(n => n.Sequence == 6).Read);
            Assert.Equal(NotificationResolution.CardResolved, page.Notifications.Single(n => n.Sequence == 8).Resolution);
            Assert.Equal([(10L, NotificationChangeKind.Read, 6L), (11, NotificationChangeKind.Resolved, 8)],
                (await inbox.ReadLog(9, 100)).Entries.Select(e => (e.Sequence, e.Change!.Kind, e.Change.NotificationSequence)));

            // Numbering goes on from the last page, and the pages no longer kept are gone from the store.
            Assert.Equal(12, (await inbox.Deliver(Notices.About(10, cluster.Clock.GetUtcNow()))).Sequence);
            var storage = cluster.SiloServices.GetRequiredKeyedService<IGrainStorage>(StorageNames.Handoff);
            var first = new GrainState<InboxPage>(new InboxPage());
            await storage.ReadStateAsync("inbox-page", StateParts<InboxPage>.PartId(inbox.GetGrainId(), "inbox-page", 0), first);
            Assert.False(first.RecordExists);
        }
        finally
        {
            await cluster.StopAsync();
        }
    }

    [Fact]
    public async Task An_inbox_keeps_its_newest_changes_and_knows_after_a_crash_where_its_kept_log_begins()
    {
        await using var store = await TestStore.CreateAsync(StoreKind.Sqlite);
        var settings = new Dictionary<string, string>
        {
            ["Handoff:Inbox:MaxNotifications"] = "5", ["Handoff:Inbox:MaxChanges"] = "3", ["Handoff:Inbox:PageSize"] = "2",
        };
        var cluster = await HandoffTestCluster.StartAsync(store, settings: settings);
        var user = Scenarios.NewUserId("bounded");
        InboxLogPage before;
        try
        {
            var inbox = cluster.Grains.UserInbox(Tenant, user);
            for (var n = 1; n <= 4; n++)
            {
                await inbox.Deliver(Notices.About(n, cluster.Clock.GetUtcNow()));
            }

            // Changes 5..8 mark 1..4 read: the oldest change (5) goes. Notifications 9 and 10 push notification 1 out.
            await inbox.MarkRead([], 4);
            await inbox.Deliver(Notices.About(5, cluster.Clock.GetUtcNow()));
            await inbox.Deliver(Notices.About(6, cluster.Clock.GetUtcNow()));

            before = await inbox.ReadLog(0, 100);
            Assert.Equal([2L, 3, 4, 6, 7, 8, 9, 10], before.Entries.Select(e => e.Sequence));
            Assert.Equal((10L, 5L), (before.LastSequence, before.OldestResumableAfter));
        }
        finally
        {
            await cluster.CrashAsync();
        }

        cluster = await cluster.StartAgainAsync();
        try
        {
            var inbox = cluster.Grains.UserInbox(Tenant, user);
            var after = await inbox.ReadLog(0, 100);
            Assert.Equal(JsonSerializer.Serialize(before), JsonSerializer.Serialize(after));

            // Notification 11 pushes notification 2 out; the change that marked it read (6) stays, without it.
            await inbox.Deliver(Notices.About(7, cluster.Clock.GetUtcNow()));
            var read2 = (await inbox.ReadLog(5, 1)).Entries.Single();
            Assert.Equal((6L, NotificationChangeKind.Read, 2L, (NotificationRecord?)null),
                (read2.Sequence, read2.Change!.Kind, read2.Change.NotificationSequence, read2.Notification));
            Assert.Equal(5, (await inbox.ReadLog(0, 100)).OldestResumableAfter);

            // Change 12 pushes change 6 out: the kept log now begins after 6.
            await inbox.Resolve("card-3", NotificationResolution.CardResolved, cluster.Clock.GetUtcNow());
            var last = await inbox.ReadLog(0, 100);
            Assert.Equal([3L, 4, 7, 8, 9, 10, 11, 12], last.Entries.Select(e => e.Sequence));
            Assert.Equal((12L, 6L), (last.LastSequence, last.OldestResumableAfter));
        }
        finally
        {
            await cluster.StopAsync();
        }
    }

    [Fact]
    public async Task An_inbox_keeps_the_page_size_it_was_created_with_when_the_setting_changes()
    {
        await using var store = await TestStore.CreateAsync(StoreKind.Sqlite);
        var cluster = await HandoffTestCluster.StartAsync(store, settings: new Dictionary<string, string> { ["Handoff:Inbox:PageSize"] = "2" });
        var user = Scenarios.NewUserId("page-size");
        try
        {
            var inbox = cluster.Grains.UserInbox(Tenant, user);
            for (var n = 1; n <= 5; n++)
            {
                await inbox.Deliver(Notices.About(n, cluster.Clock.GetUtcNow()));
            }

            var storage = cluster.SiloServices.GetRequiredKeyedService<IGrainStorage>(StorageNames.Handoff);
            var head = new GrainState<InboxState>(new InboxState());
            await storage.ReadStateAsync("inbox", inbox.GetGrainId(), head);
            Assert.Equal(2, head.State!.PageSize);
        }
        finally
        {
            await cluster.StopAsync();
        }

        cluster = await HandoffTestCluster.StartAsync(store, cluster.Clock, new Dictionary<string, string> { ["Handoff:Inbox:PageSize"] = "3" });
        try
        {
            // Stored in pages of two: {1, 2} {3, 4} {5}. Numbered 6, the delivery writes its page, page 1 in pages of three
            // ({4, 5, 6}), which would leave 3 on no page and 5 on two.
            await cluster.Grains.UserInbox(Tenant, user).Deliver(Notices.About(6, cluster.Clock.GetUtcNow()));
        }
        finally
        {
            await cluster.StopAsync();
        }

        cluster = await cluster.StartAgainAsync();
        try
        {
            var log = await cluster.Grains.UserInbox(Tenant, user).ReadLog(0, 100);
            Assert.Equal([1L, 2, 3, 4, 5, 6], log.Entries.Select(e => e.Sequence));
            Assert.Equal(["card-1", "card-2", "card-3", "card-4", "card-5", "card-6"], log.Entries.Select(e => e.Notification!.Notice.CardId));
        }
        finally
        {
            await cluster.StopAsync();
        }
    }

    /// <summary>An InboxPage with notifications 1 (read) and 2 (reassigned), as the build before inbox changes serialized it.</summary>
    private const string PageBeforeChanges =
        "ICAABSHoAAUh6EAfY2FyZC0xOmRlbGl2ZXJ5CQMFCQMJQRNjb250YWN0LTFBE0NvbnRhY3QgMUENY2FyZC0xAQVBU1NJIEh1bWFuIEhhbmRvZmY6IENvbnRhY3QgMSBuZWVkcyB5" +
        "b3Ugbm93QRFTdW1tYXJ5LjEBUxbB+6NSZWFkT25seUxpc3RJbnRlcmZhY2VDb2RlY2AxW1tIYW5kb2ZmLkRvbWFpbi5Nb2RlbC5IYW5kb2ZmUmVhc29uLEhhbmRvZmYuRG9t" +
        "YWluXV0AAwkDBeAhgAAgQXciSt8IgQAAAAAAAAAA4OABAyGAAGYEmyJK3wiBAAAAAAAAAADgwQHBAeAg6AAJIehAH2NhcmQtMjpkZWxpdmVyeQkDBQkDCUETY29udGFjdC0y" +
        "QRNDb250YWN0IDJBDWNhcmQtMgEFQVNTSSBIdW1hbiBIYW5kb2ZmOiBDb250YWN0IDIgbmVlZHMgeW91IG5vd8EfOQMAAwkDBeAhgAAgQXciSt8IgQAAAAAAAAAA4OABAcEB" +
        "CQMJIYAArMe+IkrfCIEAAAAAAAAAAODg4OA=";

    [Fact]
    public async Task A_page_stored_before_inboxes_recorded_changes_is_read_and_numbering_goes_on_after_it()
    {
        await using var store = await TestStore.CreateAsync(StoreKind.Sqlite);
        var cluster = await HandoffTestCluster.StartAsync(store);
        var user = Scenarios.NewUserId("v1-page");
        try
        {
            var old = Assert.IsType<InboxPage>(cluster.SiloServices.GetRequiredService<Serializer>().Deserialize<InboxPage>(Convert.FromBase64String(PageBeforeChanges)));
            Assert.Equal([(1L, true, (NotificationResolution?)null), (2, false, NotificationResolution.Reassigned)],
                old.Notifications.Select(n => (n.Sequence, n.Read, n.Resolution)));
            Assert.Empty(old.Changes);

            var storage = cluster.SiloServices.GetRequiredKeyedService<IGrainStorage>(StorageNames.Handoff);
            var inbox = cluster.Grains.UserInbox(Tenant, user);
            await storage.WriteStateAsync("inbox", inbox.GetGrainId(), new GrainState<InboxState>(new InboxState { LastSequence = 2 }));
            await storage.WriteStateAsync("inbox-page", StateParts<InboxPage>.PartId(inbox.GetGrainId(), "inbox-page", 0),
                new GrainState<InboxPage>(old));

            Assert.Equal(0, await inbox.MarkRead([2], 0));
            await inbox.Deliver(Notices.About(3, cluster.Clock.GetUtcNow()));

            var log = await inbox.ReadLog(0, 100);
            Assert.Equal([(1L, null), (2, null), (3, NotificationChangeKind.Read), (4, null)], log.Entries.Select(e => (e.Sequence, e.Change?.Kind)));
            Assert.Equal(0, log.OldestResumableAfter);
        }
        finally
        {
            await cluster.StopAsync();
        }
    }
}
