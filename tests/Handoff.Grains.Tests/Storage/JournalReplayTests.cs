using Handoff.Domain.Model;
using Handoff.Grains.Contacts;
using Handoff.Grains.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Handoff.Grains.Tests.Storage;

/// <summary>
/// Ingested events are durable in the event journal, not in the contact's state: the state is written as a checkpoint
/// after an interval, and a new activation replays the journal since its checkpoint. On both stores.
/// </summary>
public sealed class JournalReplayTests
{
    private const string Tenant = "acme";

    [Theory]
    [InlineData(StoreKind.Sqlite)]
    [InlineData(StoreKind.PostgreSql)]
    public async Task Events_applied_but_not_checkpointed_survive_a_crash_and_are_counted_once(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        var cluster = await HandoffTestCluster.StartAsync(store);
        var contactId = $"c-{Guid.NewGuid():N}";
        var events = new Events(cluster.Clock.GetUtcNow());
        // Quiet engagement that raises no card (a card transition is stored at once).
        var batches = Enumerable.Range(0, 3)
            .Select(b => (IReadOnlyList<EngagementEvent>)Enumerable.Range(0, 2)
                .Select(i => events.At(TimeSpan.FromDays(6 - b) - TimeSpan.FromHours(i), EventType.EmailOpened, Channel.Email))
                .ToList())
            .ToList();
        ContactSnapshot before;
        try
        {
            foreach (var batch in batches)
            {
                Assert.Equal(new IngestOutcome(batch.Count, 0), await cluster.IngestAsync(cluster.Grains.Contact(Tenant, contactId), batch));
            }

            before = await cluster.Grains.Contact(Tenant, contactId).Get();
            Assert.Equal(6, before.Engagement.TotalEventCount);
            Assert.Null(before.Card);
            // Nothing of it is in the grain's stored state yet: only the journal holds the events.
            Assert.False((await cluster.StoredContactStateAsync(Tenant, contactId)).RecordExists);
        }
        finally
        {
            await cluster.CrashAsync();
        }

        cluster = await cluster.StartAgainAsync();
        try
        {
            var contact = cluster.Grains.Contact(Tenant, contactId);
            var after = await contact.Get();
            Assert.Equal(6, after.Engagement.TotalEventCount);
            Assert.Equal(before.Engagement.Score, after.Engagement.Score);
            Assert.Equal(before.Engagement.LastEventAt, after.Engagement.LastEventAt);

            // A client that never got its acknowledgement sends the batch again: nothing is counted twice.
            Assert.Equal(new IngestOutcome(0, 2), await cluster.IngestAsync(contact, batches[1]));
            Assert.Equal(6, (await contact.Get()).Engagement.TotalEventCount);
        }
        finally
        {
            await cluster.StopAsync();
        }
    }

    [Fact]
    public async Task An_event_at_the_edge_of_the_dedupe_window_is_not_applied_again_by_the_replay_after_a_state_write()
    {
        await using var store = await TestStore.CreateAsync(StoreKind.Sqlite);
        var cluster = await HandoffTestCluster.StartAsync(store);
        var contactId = $"c-{Guid.NewGuid():N}";
        try
        {
            var contact = cluster.Grains.Contact(Tenant, contactId);
            // Accepted at once: it occurred a minute inside the 7-day dedupe window.
            var late = new Events(cluster.Clock.GetUtcNow()).At(TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1), EventType.EmailOpened, Channel.Email);
            Assert.Equal(new IngestOutcome(1, 0), await cluster.IngestAsync(contact, [late]));

            // Two minutes on, the event is past the window, but inside the journal replay margin of the state written now.
            cluster.Clock.Advance(TimeSpan.FromMinutes(2));
            await contact.Upsert(new ProfileUpdate { DisplayName = "Ada Park" });
        }
        finally
        {
            await cluster.CrashAsync();
        }

        cluster = await cluster.StartAgainAsync();
        try
        {
            // The activation replays the journal from the state's checkpoint less the margin, which holds the event.
            Assert.Equal(1, (await cluster.Grains.Contact(Tenant, contactId).Get()).Engagement.TotalEventCount);
        }
        finally
        {
            await cluster.StopAsync();
        }
    }

    [Fact]
    public async Task A_contact_writes_its_state_once_the_checkpoint_interval_has_passed()
    {
        await using var store = await TestStore.CreateAsync(StoreKind.Sqlite);
        var cluster = await HandoffTestCluster.StartAsync(store);
        try
        {
            var contactId = $"c-{Guid.NewGuid():N}";
            var events = new Events(cluster.Clock.GetUtcNow());
            await cluster.IngestAsync(cluster.Grains.Contact(Tenant, contactId),
                [events.At(TimeSpan.FromHours(2), EventType.EmailOpened, Channel.Email), events.At(TimeSpan.FromHours(1), EventType.EmailClicked, Channel.Email)]);
            Assert.False((await cluster.StoredContactStateAsync(Tenant, contactId)).RecordExists);

            var interval = cluster.SiloServices.GetRequiredService<HandoffEngine>().Contacts.CheckpointInterval;
            var stored = await Wait.ForAsync(async () =>
                {
                    var state = await cluster.StoredContactStateAsync(Tenant, contactId);
                    return state.RecordExists ? state.State : null;
                },
                "the contact's checkpoint",
                eachRound: () => cluster.Clock.Advance(interval));

            Assert.Equal(2, stored.Engagement.TotalEventCount);
            Assert.NotNull(stored.CheckpointedAt);
        }
        finally
        {
            await cluster.StopAsync();
        }
    }
}
