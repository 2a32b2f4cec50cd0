using Handoff.Domain.Model;
using Handoff.Grains.Contacts;
using Handoff.Grains.Storage;
using Handoff.Grains.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace Handoff.Grains.Tests.Storage;

/// <summary>
/// A busy contact's seen event ids are sealed into segments stored on their own, so that its state writes stay small:
/// the dedupe memory must still hold across restarts and crashes, on both stores, and forget whole segments past the
/// dedupe window.
/// </summary>
public sealed class SeenSegmentsTests
{
    private const string Tenant = "acme";
    private const int SegmentSize = 4;
    private const int Batches = 5;
    private const int EventsPerBatch = 3;

    private static readonly Dictionary<string, string> SmallSegments = new() { ["Handoff:Contacts:SeenSegmentSize"] = $"{SegmentSize}" };

    [Theory]
    [InlineData(StoreKind.Sqlite)]
    [InlineData(StoreKind.PostgreSql)]
    public async Task A_busy_contact_writes_a_bounded_number_of_ids_and_a_retry_after_a_restart_is_still_a_duplicate(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        var cluster = await HandoffTestCluster.StartAsync(store, settings: SmallSegments);
        var contactId = $"c-{Guid.NewGuid():N}";
        List<IReadOnlyList<EngagementEvent>> batches;
        try
        {
            batches = await IngestWithStateWritesAsync(cluster, contactId);

            var stored = (await cluster.StoredContactStateAsync(Tenant, contactId)).State!;
            Assert.True(stored.SeenEvents.Count < SegmentSize + EventsPerBatch, $"the state carries {stored.SeenEvents.Count} ids");
            Assert.True(stored.SeenSegments.Count >= 2, $"{stored.SeenSegments.Count} segments sealed");
            Assert.Equal(Batches * EventsPerBatch, stored.SeenEvents.Count + await StoredSegmentIdsAsync(cluster, contactId, stored));
        }
        finally
        {
            await cluster.StopAsync();
        }

        cluster = await cluster.StartAgainAsync();
        try
        {
            var contact = cluster.Grains.Contact(Tenant, contactId);
            // The first batch is in the oldest segment: a client that never got its acknowledgement sends it again.
            Assert.Equal(new IngestOutcome(0, EventsPerBatch), await cluster.IngestAsync(contact, batches[0]));
            Assert.Equal(Batches * EventsPerBatch, (await contact.Get()).Engagement.TotalEventCount);

            var fresh = new Events(cluster.Clock.GetUtcNow()).At(TimeSpan.FromMinutes(1), EventType.EmailOpened, Channel.Email);
            Assert.Equal(new IngestOutcome(1, 0), await cluster.IngestAsync(contact, [fresh]));
            Assert.Equal(Batches * EventsPerBatch + 1, (await contact.Get()).Engagement.TotalEventCount);
        }
        finally
        {
            await cluster.StopAsync();
        }
    }

    [Theory]
    [InlineData(StoreKind.Sqlite)]
    [InlineData(StoreKind.PostgreSql)]
    public async Task After_a_crash_the_journal_replay_skips_the_events_in_sealed_segments(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        var cluster = await HandoffTestCluster.StartAsync(store, settings: SmallSegments);
        var contactId = $"c-{Guid.NewGuid():N}";
        ContactSnapshot before;
        try
        {
            await IngestWithStateWritesAsync(cluster, contactId);
            // Applied in memory only (no state write follows): the replay brings these back.
            var events = new Events(cluster.Clock.GetUtcNow());
            await cluster.IngestAsync(cluster.Grains.Contact(Tenant, contactId),
                [events.At(TimeSpan.FromMinutes(2), EventType.EmailClicked, Channel.Email), events.At(TimeSpan.FromMinutes(1), EventType.EmailOpened, Channel.Email)]);
            before = await cluster.Grains.Contact(Tenant, contactId).Get();
            Assert.Equal(Batches * EventsPerBatch + 2, before.Engagement.TotalEventCount);
        }
        finally
        {
            await cluster.CrashAsync();
        }

        cluster = await cluster.StartAgainAsync();
        try
        {
            // The replay reads every event of the last minutes, most of them already sealed: each is counted once.
            var after = await cluster.Grains.Contact(Tenant, contactId).Get();
            Assert.Equal(before.Engagement.TotalEventCount, after.Engagement.TotalEventCount);
            Assert.Equal(before.Engagement.Score, after.Engagement.Score);
        }
        finally
        {
            await cluster.StopAsync();
        }
    }

    [Fact]
    public async Task Segments_whose_events_all_occurred_before_the_dedupe_window_are_deleted()
    {
        await using var store = await TestStore.CreateAsync(StoreKind.Sqlite);
        var cluster = await HandoffTestCluster.StartAsync(store, settings: SmallSegments);
        try
        {
            var contactId = $"c-{Guid.NewGuid():N}";
            await IngestWithStateWritesAsync(cluster, contactId);
            var sealedBefore = (await cluster.StoredContactStateAsync(Tenant, contactId)).State!.SeenSegments;
            Assert.NotEmpty(sealedBefore);

            cluster.Clock.Advance(TimeSpan.FromDays(8));
            await WriteStateAsync(cluster, contactId);

            var stored = (await cluster.StoredContactStateAsync(Tenant, contactId)).State!;
            Assert.Empty(stored.SeenSegments);
            Assert.Equal(0, await StoredSegmentIdsAsync(cluster, contactId, new ContactState { SeenSegments = sealedBefore }));
        }
        finally
        {
            await cluster.StopAsync();
        }
    }

    /// <summary>
    /// <see cref="Batches"/> batches of distinct events, a second apart, each followed by a state write (a profile
    /// change is stored at once); returns the batches.
    /// </summary>
    private static async Task<List<IReadOnlyList<EngagementEvent>>> IngestWithStateWritesAsync(HandoffTestCluster cluster, string contactId)
    {
        var contact = cluster.Grains.Contact(Tenant, contactId);
        var batches = new List<IReadOnlyList<EngagementEvent>>();
        for (var b = 0; b < Batches; b++)
        {
            var events = new Events(cluster.Clock.GetUtcNow());
            // Quiet engagement that raises no card.
            var batch = Enumerable.Range(0, EventsPerBatch)
                .Select(i => events.At(TimeSpan.FromHours(EventsPerBatch - i), EventType.EmailOpened, Channel.Email))
                .ToList();
            Assert.Equal(new IngestOutcome(EventsPerBatch, 0), await cluster.IngestAsync(contact, batch));
            await WriteStateAsync(cluster, contactId);
            batches.Add(batch);
            cluster.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(Batches * EventsPerBatch, (await contact.Get()).Engagement.TotalEventCount);
        return batches;
    }

    private static Task WriteStateAsync(HandoffTestCluster cluster, string contactId) =>
        cluster.Grains.Contact(Tenant, contactId).Upsert(new ProfileUpdate { DisplayName = $"Name at {cluster.Clock.GetUtcNow():O}" });

    /// <summary>How many ids the stored segments <paramref name="state"/> refers to hold.</summary>
    private static async Task<int> StoredSegmentIdsAsync(HandoffTestCluster cluster, string contactId, ContactState state)
    {
        var storage = cluster.SiloServices.GetRequiredKeyedService<IGrainStorage>(StorageNames.Handoff);
        var owner = cluster.Grains.Contact(Tenant, contactId).GetGrainId();
        var ids = 0;
        foreach (var segment in state.SeenSegments)
        {
            var stored = new GrainState<SeenSegment>(new SeenSegment());
            await storage.ReadStateAsync(ContactGrain.SeenSegmentStateName,
                StateParts<SeenSegment>.PartId(owner, ContactGrain.SeenSegmentStateName, segment.Number), stored);
            ids += stored.RecordExists ? stored.State!.OccurredAtByHash.Count : 0;
        }

        return ids;
    }
}
