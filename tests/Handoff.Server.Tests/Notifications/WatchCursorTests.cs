using System.Globalization;
using Grpc.Core;
using Handoff.Protos.V1;
using Handoff.Server.Tests.Support;

namespace Handoff.Server.Tests.Notifications;

/// <summary>
/// Where a watch may start (issue #11, item 3): anywhere in the inbox's log, and nowhere past its end. A subscriber
/// never misses an entry silently, whatever place it asks for: it gets exactly the entries after it, in order, then
/// the live ones; a place past the end is refused with the end, so the subscriber can start there.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class WatchCursorTests(ServerFixture fixture)
{
    private static readonly InboxRef Alice = TestTenant.UserInbox("alice");

    [Fact]
    public async Task A_watch_past_the_end_of_an_empty_inbox_is_OUT_OF_RANGE_and_one_from_the_end_it_names_hears_the_first_notification()
    {
        var tenant = new TestTenant(fixture.Host);
        foreach (var after in new[] { 1000L, long.MaxValue, 1 })
        {
            using var refused = Watch(tenant, after);
            Assert.Equal("0", (await refused.RefusedAsync("AFTER_SEQUENCE_BEYOND_END"))["lastSequence"]);
        }

        using var watch = Watch(tenant, 0);
        await tenant.RaiseCardAsync("c-1", owner: "alice");

        var (first, unread) = await watch.ResponseStream.NextNotificationAsync();
        Assert.Equal((1L, "c-1", 1), (first.Sequence, first.ContactId, unread));
    }

    [Fact]
    public async Task A_watch_past_the_last_sequence_is_OUT_OF_RANGE_with_it_and_a_watch_from_it_hears_what_comes_next()
    {
        var tenant = new TestTenant(fixture.Host);
        using var recorder = Watch(tenant, 0);
        await tenant.RaiseCardAsync("c-1", owner: "alice");
        await tenant.RaiseCardAsync("c-2", owner: "alice");
        await recorder.ResponseStream.NextNotificationAsync();
        await recorder.ResponseStream.NextNotificationAsync();
        await MarkReadAsync(tenant, 1);
        Assert.Equal(3, (await recorder.ResponseStream.NextChangeAsync(NotificationChangeKind.Read)).Change.Sequence);

        foreach (var after in new[] { 4L, 5, 1000, long.MaxValue })
        {
            using var refused = Watch(tenant, after);
            Assert.Equal("3", (await refused.RefusedAsync("AFTER_SEQUENCE_BEYOND_END"))["lastSequence"]);
        }

        using var atTheEnd = Watch(tenant, 3);
        await MarkReadAsync(tenant, 2);

        var (change, unread) = await atTheEnd.ResponseStream.NextChangeAsync(NotificationChangeKind.Read);
        Assert.Equal((4L, 2L, true, 0), (change.Sequence, change.NotificationSequence, change.Notification.Read, unread));
    }

    [Fact]
    public async Task Whatever_its_cursor_a_subscriber_gets_exactly_the_entries_after_it_in_order_then_the_live_ones()
    {
        var seed = Environment.TickCount;
        var random = new Random(seed);
        var tenant = new TestTenant(fixture.Host);
        using var recorder = Watch(tenant, 0);
        var log = new List<WatchNotificationsResponse>();

        // A log with every kind of entry, each step waited for on the recorder so that the order is known.
        var cards = new Dictionary<string, RaisedCard>();
        foreach (var contact in new[] { "c-1", "c-2", "c-3", "c-4" })
        {
            cards[contact] = await tenant.RaiseCardAsync(contact, owner: "alice");
            await RecordAsync(1);
        }

        await MarkReadAsync(tenant, 2);
        await RecordAsync(1);
        await tenant.AddReasonAsync("c-1");
        await RecordAsync(1);
        await tenant.ResumeAsync(cards["c-3"]);
        await RecordAsync(1);
        await MarkReadAsync(tenant, upTo: 4);
        await RecordAsync(3);
        await fixture.Host.As(tenant.Id, "manager", "admin").Contacts.AssignOwnerAsync(new AssignOwnerRequest
        {
            TenantId = tenant.Id, ContactId = "c-4", OwnerUserId = "bob", CardId = cards["c-4"].Card.CardId,
        });
        await RecordAsync(1);
        cards["c-5"] = await tenant.RaiseCardAsync("c-5", owner: "alice");
        await RecordAsync(1);

        Assert.Equal(Enumerable.Range(1, log.Count).Select(i => (long)i), log.Select(e => e.Sequence()));
        Assert.Equal(
            ["#1 new", "#2 new", "#3 new", "#4 new", "#5 Read of #2", "#6 Updated of #1", "#7 Resolved of #3", "#8 Read of #1", "#9 Read of #3",
             "#10 Read of #4", "#11 Reassigned of #4", "#12 new"],
            log.Select(e => e.Describe()));

        // A live entry for each group of watches below.
        var live = new Queue<Func<Task>>([() => MarkReadAsync(tenant, 12), () => tenant.ResumeAsync(cards["c-5"])]);
        var cursors = Enumerable.Range(0, log.Count + 1).Select(c => (long)c).OrderBy(_ => random.Next()).ToList();
        // Well under a user's open streams (16), the recorder included.
        foreach (var group in cursors.Chunk(7))
        {
            var watches = group.Select(cursor => (Cursor: cursor, Call: Watch(tenant, cursor))).ToList();
            try
            {
                var unread = (await tenant.ListNotificationsAsync(Alice)).UnreadCount;
                foreach (var (cursor, call) in watches)
                {
                    var received = new List<WatchNotificationsResponse>();
                    while (received.Count < log.Count - cursor)
                    {
                        received.Add(await call.ResponseStream.NextEntryAsync());
                    }

                    var expected = log.Skip((int)cursor).Select(e => e.Describe()).ToList();
                    Assert.True(expected.SequenceEqual(received.Select(e => e.Describe())),
                        $"Seed {seed}, after {cursor}: expected [{string.Join(", ", expected)}], got [{string.Join(", ", received.Select(e => e.Describe()))}].");
                    Assert.All(received, e => Assert.Equal(unread, e.UnreadCount));
                }

                await live.Dequeue()();
                var next = await RecordAsync(1);
                foreach (var (cursor, call) in watches)
                {
                    var heard = await call.ResponseStream.NextEntryAsync();
                    Assert.True((next.Describe(), next.UnreadCount) == (heard.Describe(), heard.UnreadCount),
                        $"Seed {seed}, after {cursor}: live {next.Describe()} ({next.UnreadCount} unread), heard {heard.Describe()} ({heard.UnreadCount} unread).");
                }
            }
            finally
            {
                watches.ForEach(w => w.Call.Dispose());
            }
        }

        // Past the end, wherever: refused with the end.
        for (var i = 0; i < 5; i++)
        {
            var beyond = log.Count + 1 + random.NextInt64(0, long.MaxValue - log.Count);
            using var refused = Watch(tenant, beyond);
            Assert.True(log.Count.ToString(CultureInfo.InvariantCulture) == (await refused.RefusedAsync("AFTER_SEQUENCE_BEYOND_END"))["lastSequence"],
                $"Seed {seed}, after {beyond}.");
        }

        async Task<WatchNotificationsResponse> RecordAsync(int entries)
        {
            for (var i = 0; i < entries; i++)
            {
                log.Add(await recorder.ResponseStream.NextEntryAsync());
            }

            return log[^1];
        }
    }

    private AsyncServerStreamingCall<WatchNotificationsResponse> Watch(TestTenant tenant, long afterSequence) =>
        fixture.Host.Notifications.WatchNotifications(new WatchNotificationsRequest { TenantId = tenant.Id, Inbox = Alice, AfterSequence = afterSequence });

    private async Task MarkReadAsync(TestTenant tenant, long sequence = 0, long upTo = 0) =>
        await fixture.Host.Notifications.MarkNotificationsReadAsync(new MarkNotificationsReadRequest
        {
            TenantId = tenant.Id, Inbox = Alice, Sequences = { sequence == 0 ? [] : new[] { sequence } }, UpToSequence = upTo,
        });
}

/// <summary>
/// A place before the oldest entry an inbox keeps (its log is bounded): refused, so that a subscriber learns it has
/// missed entries that are gone instead of missing them silently. Runs a host of its own with tiny inbox limits.
/// </summary>
public sealed class WatchCursorExpiryTests : IAsyncLifetime
{
    private static readonly InboxRef Alice = TestTenant.UserInbox("alice");
    private ServerHost host = null!;

    public async Task InitializeAsync() =>
        host = await ServerHost.StartAsync(settings: ["Handoff:Inbox:MaxNotifications=3", "Handoff:Inbox:MaxChanges=2"]);

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task A_watch_from_before_the_oldest_kept_entry_is_OUT_OF_RANGE_and_names_the_oldest_place_it_may_resume_from()
    {
        var tenant = new TestTenant(host);
        using (var recorder = Watch(tenant, 0))
        {
            // Notifications 1..4 (the fourth pushes the first out), then 5..7 mark 2..4 read (the third pushes 5 out).
            for (var n = 1; n <= 4; n++)
            {
                await tenant.RaiseCardAsync($"c-{n}", owner: "alice");
                await recorder.ResponseStream.NextNotificationAsync();
            }

            await host.Notifications.MarkNotificationsReadAsync(new MarkNotificationsReadRequest { TenantId = tenant.Id, Inbox = Alice, UpToSequence = 4 });
            for (var n = 2; n <= 4; n++)
            {
                Assert.Equal(n, (await recorder.ResponseStream.NextChangeAsync(NotificationChangeKind.Read)).Change.NotificationSequence);
            }
        }

        foreach (var after in new[] { 1L, 4 })
        {
            using var refused = Watch(tenant, after);
            var details = await refused.RefusedAsync("AFTER_SEQUENCE_EXPIRED");
            Assert.Equal(("5", "7"), (details["oldestResumableAfter"], details["lastSequence"]));
        }

        using var resumed = Watch(tenant, 5);
        var first = await resumed.ResponseStream.NextEntryAsync();
        var second = await resumed.ResponseStream.NextEntryAsync();
        Assert.Equal((6L, 7L), (first.Sequence(), second.Sequence()));

        // 0 asks for everything kept: the notifications as they are now, and the changes kept.
        using var everything = Watch(tenant, 0);
        var kept = new List<WatchNotificationsResponse>();
        for (var i = 0; i < 5; i++)
        {
            kept.Add(await everything.ResponseStream.NextEntryAsync());
        }

        Assert.Equal(["#2 new", "#3 new", "#4 new", "#6 Read of #3", "#7 Read of #4"], kept.Select(e => e.Describe()));
        Assert.All(kept.Take(3), e => Assert.True(e.Notification.Read));
    }

    private AsyncServerStreamingCall<WatchNotificationsResponse> Watch(TestTenant tenant, long afterSequence) =>
        host.Notifications.WatchNotifications(new WatchNotificationsRequest { TenantId = tenant.Id, Inbox = Alice, AfterSequence = afterSequence });
}
