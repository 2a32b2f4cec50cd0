using Handoff.Domain.Model;
using Handoff.Grains.Contacts;
using Handoff.Grains.Tests.Support;

namespace Handoff.Grains.Tests.Contacts;

/// <summary>The pipeline redelivers and reorders: neither may change what the contact looks like.</summary>
[Collection(GrainCollection.Name)]
public sealed class IngestDedupeTests(GrainClusterFixture fixture)
{
    private const string Tenant = "acme";

    [Fact]
    public async Task The_same_batch_twice_is_counted_once()
    {
        var batch = new Events(fixture.Now).RisingBuyer();
        var contact = fixture.Grains.Contact(Tenant, fixture.NewContactId());
        var first = await fixture.IngestAsync(contact, batch);
        var before = await contact.Get();

        var second = await fixture.IngestAsync(contact, batch);

        Assert.Equal(new IngestOutcome(batch.Count, 0), first);
        Assert.Equal(new IngestOutcome(0, batch.Count), second);
        var after = await contact.Get();
        Assert.Equal(before.Engagement.Score, after.Engagement.Score);
        Assert.Equal(batch.Count, after.Engagement.TotalEventCount);
        Assert.Equal(batch.Count, after.Engagement.RecentEventCount);
        Assert.Equal(before.UpdatedAt, after.UpdatedAt);
    }

    [Fact]
    public async Task A_redelivery_does_not_touch_the_card_or_the_inbox()
    {
        var handoff = await fixture.RaiseHandoffAsync(Tenant);
        var extra = handoff.Events.AsksForAPerson(TimeSpan.FromMinutes(10));
        await fixture.IngestAsync(handoff.Contact, [extra]);
        var history = await handoff.Contact.AllHistory();

        var outcome = await fixture.IngestAsync(handoff.Contact, [extra, extra]);

        Assert.Equal(new IngestOutcome(0, 2), outcome);
        Assert.Equal(2, (await handoff.Contact.Get()).Card!.Version);
        Assert.Equal(history, await handoff.Contact.AllHistory());
        Assert.Single(await fixture.Grains.UserInbox(Tenant, handoff.OwnerUserId).NotificationsAbout(handoff.ContactId));
    }

    [Fact]
    public async Task A_batch_mixing_new_and_seen_events_applies_only_the_new_ones()
    {
        var contact = fixture.Grains.Contact(Tenant, fixture.NewContactId());
        var events = new Events(fixture.Now);
        var seen = events.At(TimeSpan.FromHours(3), EventType.EmailOpened, Channel.Email);
        await fixture.IngestAsync(contact, [seen]);

        var fresh = events.At(TimeSpan.FromHours(2), EventType.EmailClicked, Channel.Email);
        var outcome = await fixture.IngestAsync(contact, [seen, fresh, fresh]);

        Assert.Equal(new IngestOutcome(1, 2), outcome);
        Assert.Equal(2, (await contact.Get()).Engagement.TotalEventCount);
    }

    [Fact]
    public async Task Events_arriving_out_of_order_score_the_same_as_in_order()
    {
        var events = new Events(fixture.Now).RisingBuyer();
        var inOrder = await Scenarios.CreateWinContactAsync(fixture.Grains, Tenant, fixture.NewContactId(), Scenarios.NewUserId("owner"));
        var shuffled = await Scenarios.CreateWinContactAsync(fixture.Grains, Tenant, fixture.NewContactId(), Scenarios.NewUserId("owner"));

        foreach (var e in events.OrderBy(e => e.OccurredAt))
        {
            await fixture.IngestAsync(inOrder, [e]);
        }

        // Event ids are unique per tenant: the second contact's copies get ids of their own.
        foreach (var e in events.OrderByDescending(e => e.OccurredAt))
        {
            await fixture.IngestAsync(shuffled, [e with { EventId = $"{e.EventId}-shuffled" }]);
        }

        var a = (await inOrder.Get()).Engagement;
        var b = (await shuffled.Get()).Engagement;
        Assert.True(a.Score > 0);
        Assert.Equal((a.Score, a.Trend, a.TrendDelta, a.Sentiment), (b.Score, b.Trend, b.TrendDelta, b.Sentiment));
        Assert.Equal((a.TotalEventCount, a.RecentEventCount, a.LastEventAt), (b.TotalEventCount, b.RecentEventCount, b.LastEventAt));
        Assert.Equal(a.Recommendation, b.Recommendation);
    }

    [Fact]
    public async Task An_event_id_the_tenant_used_for_another_contact_is_a_duplicate_and_changes_nothing()
    {
        var first = fixture.Grains.Contact(Tenant, fixture.NewContactId());
        var second = fixture.Grains.Contact(Tenant, fixture.NewContactId());
        var e = new Events(fixture.Now).At(TimeSpan.FromHours(1), EventType.EmailOpened, Channel.Email);
        await fixture.IngestAsync(first, [e]);

        var outcome = await fixture.IngestAsync(second, [e]);

        Assert.Equal(new IngestOutcome(0, 1), outcome);
        Assert.Equal(1, (await first.Get()).Engagement.TotalEventCount);
        await Assert.ThrowsAsync<ContactNotFoundException>(() => second.Get());
    }

    [Fact]
    public async Task An_older_phase_change_arriving_late_does_not_overwrite_a_newer_one()
    {
        var contact = fixture.Grains.Contact(Tenant, fixture.NewContactId());
        var events = new Events(fixture.Now);

        await fixture.IngestAsync(contact, [events.At(TimeSpan.FromHours(1), EventType.PhaseChanged, phase: PipelinePhase.Win)]);
        await fixture.IngestAsync(contact, [events.At(TimeSpan.FromHours(5), EventType.PhaseChanged, phase: PipelinePhase.Nurture)]);

        Assert.Equal(PipelinePhase.Win, (await contact.Get()).Phase);
    }
}
