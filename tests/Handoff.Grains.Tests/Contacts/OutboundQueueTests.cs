using Handoff.Domain.Model;
using Handoff.Grains.Contacts;
using Handoff.Grains.Tests.Support;

namespace Handoff.Grains.Tests.Contacts;

[Collection(GrainCollection.Name)]
public sealed class OutboundQueueTests(GrainClusterFixture fixture)
{
    private const string Tenant = "acme";

    private async Task<IContactGrain> NewContactAsync()
    {
        var contact = fixture.Grains.Contact(Tenant, fixture.NewContactId());
        await contact.Upsert(new ProfileUpdate { DisplayName = "Dana Cruz", OwnerUserId = Scenarios.NewUserId("owner") });
        return contact;
    }

    [Fact]
    public async Task Claim_hands_out_each_due_message_once_and_leaves_future_and_held_ones()
    {
        var contact = await NewContactAsync();
        var now = fixture.Now;
        await contact.QueueMessage(Scenarios.Manual("later", sendAfter: now.AddHours(1)));
        await contact.QueueMessage(Scenarios.Manual("due-now"));
        await contact.QueueMessage(Scenarios.Manual("due-earlier", sendAfter: now.AddMinutes(-5)));
        await contact.SetAutoEngage(false, "", "carol");
        var held = await contact.QueueMessage(Scenarios.Si("held"));
        Assert.Equal((MessageStatus.Held, (DenialReason?)DenialReason.AutoEngageOff), (held.Status, held.HoldReason));

        var first = await contact.ClaimDueMessages(10);

        Assert.Equal(["due-earlier", "due-now"], first.Select(m => m.MessageId));
        Assert.All(first, m =>
        {
            Assert.Equal(MessageStatus.Claimed, m.Status);
            Assert.Equal(now, m.ClaimedAt);
        });
        var stored = (await contact.AllMessages()).ToDictionary(m => m.MessageId);
        Assert.Equal(MessageStatus.Claimed, stored["due-now"].Status);
        Assert.Equal(MessageStatus.Claimed, stored["due-earlier"].Status);
        Assert.Equal(MessageStatus.Queued, stored["later"].Status);
        Assert.Equal(MessageStatus.Held, stored["held"].Status);

        Assert.Empty(await contact.ClaimDueMessages(10));

        fixture.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(["later"], (await contact.ClaimDueMessages(10)).Select(m => m.MessageId));
        Assert.Empty(await contact.ClaimDueMessages(10));
        Assert.Equal(MessageStatus.Held, (await contact.AllMessages()).Single(m => m.MessageId == "held").Status);
    }

    [Fact]
    public async Task Claim_returns_at_most_the_number_asked_for()
    {
        var contact = await NewContactAsync();
        for (var i = 1; i <= 3; i++)
        {
            await contact.QueueMessage(Scenarios.Manual($"m{i}", sendAfter: fixture.Now.AddSeconds(-10 + i)));
        }

        Assert.Equal(["m1", "m2"], (await contact.ClaimDueMessages(2)).Select(m => m.MessageId));
        Assert.Equal(["m3"], (await contact.ClaimDueMessages(2)).Select(m => m.MessageId));
    }

    [Fact]
    public async Task Held_messages_are_claimed_only_once_released()
    {
        var contact = await NewContactAsync();
        await contact.SetAutoEngage(false, "", "carol");
        await contact.QueueMessage(Scenarios.Si("si-1"));
        Assert.Empty(await contact.ClaimDueMessages(10));

        await contact.SetAutoEngage(true, "", "carol");

        Assert.Equal(["si-1"], (await contact.ClaimDueMessages(10)).Select(m => m.MessageId));
    }

    [Fact]
    public async Task Queueing_the_same_message_id_twice_queues_it_once()
    {
        var contact = await NewContactAsync();

        var first = await contact.QueueMessage(Scenarios.Manual("retry-me"));
        fixture.Clock.Advance(TimeSpan.FromSeconds(30));
        var second = await contact.QueueMessage(Scenarios.Manual("retry-me"));

        Assert.Equal(first.QueuedAt, second.QueuedAt);
        var message = Assert.Single(await contact.AllMessages());
        Assert.Equal("retry-me", message.MessageId);
        Assert.Single(await contact.ClaimDueMessages(10));
        Assert.Equal(first.QueuedAt, (await contact.QueueMessage(Scenarios.Manual("retry-me"))).QueuedAt);
        Assert.Single(await contact.AllMessages());
    }

    [Fact]
    public async Task Messages_without_an_id_get_distinct_ids()
    {
        var contact = await NewContactAsync();

        var a = await contact.QueueMessage(Scenarios.Manual());
        var b = await contact.QueueMessage(Scenarios.Manual());

        Assert.NotEqual(a.MessageId, b.MessageId);
        Assert.False(string.IsNullOrEmpty(a.MessageId));
        Assert.Equal(2, (await contact.AllMessages()).Count);
    }
}
