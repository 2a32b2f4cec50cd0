using Handoff.Protos.V1;
using Handoff.Server.Tests.Support;

namespace Handoff.Server.Tests.Services;

/// <summary>OutreachService over gRPC: idempotent queueing, the send gate's reasons, claiming each message once, paging.</summary>
[Collection(ServerCollection.Name)]
public sealed class OutreachTests(ServerFixture fixture)
{
    private OutreachService.OutreachServiceClient Outreach => fixture.Host.Outreach;

    [Fact]
    public async Task QueueMessage_with_the_same_message_id_queues_once()
    {
        var tenant = new TestTenant(fixture.Host);
        await tenant.UpsertContactAsync("c-1", phase: PipelinePhase.Engage);

        var first = await tenant.QueueAsync("c-1", "m-1", MessageSource.Manual, body: "First try");
        var retry = await tenant.QueueAsync("c-1", "m-1", MessageSource.Manual, body: "Retried with another body");

        Assert.Equal(first, retry);
        Assert.Equal("First try", retry.Body);
        Assert.Equal(("m-1", "c-1", MessageStatus.Queued), (first.MessageId, first.ContactId, first.Status));
        Assert.Equal(["m-1"], (await ListAsync(tenant, "c-1")).Select(m => m.MessageId));
    }

    [Fact]
    public async Task QueueMessage_without_a_message_id_gets_a_new_id_each_time()
    {
        var tenant = new TestTenant(fixture.Host);
        await tenant.UpsertContactAsync("c-1", phase: PipelinePhase.Engage);

        var one = await tenant.QueueAsync("c-1", "", MessageSource.Manual);
        var two = await tenant.QueueAsync("c-1", "", MessageSource.Manual);

        Assert.NotEmpty(one.MessageId);
        Assert.NotEqual(one.MessageId, two.MessageId);
        Assert.Equal(2, (await ListAsync(tenant, "c-1")).Count);
    }

    [Fact]
    public async Task CheckOutreach_answers_with_the_reason_the_gate_denies_a_source()
    {
        var tenant = new TestTenant(fixture.Host);
        await tenant.UpsertContactAsync("quiet", phase: PipelinePhase.Engage);
        Assert.Equal((true, DenialReason.Unspecified), await CheckAsync(tenant, "quiet", MessageSource.Si));
        Assert.Equal((true, DenialReason.Unspecified), await CheckAsync(tenant, "quiet", MessageSource.Manual));

        // Auto-Engage off stops SI only.
        await fixture.Host.Contacts.SetAutoEngageAsync(new SetAutoEngageRequest { TenantId = tenant.Id, ContactId = "quiet", Enabled = false, ActorUserId = "alice" });
        Assert.Equal((false, DenialReason.AutoEngageOff), await CheckAsync(tenant, "quiet", MessageSource.Si));
        Assert.Equal((true, DenialReason.Unspecified), await CheckAsync(tenant, "quiet", MessageSource.Manual));

        // An active card stops SI only.
        var raised = await tenant.RaiseCardAsync("hot", owner: "alice");
        Assert.Equal((false, DenialReason.HandoffActive), await CheckAsync(tenant, "hot", MessageSource.Si));
        Assert.Equal((true, DenialReason.Unspecified), await CheckAsync(tenant, "hot", MessageSource.Manual));

        // A pause stops everything.
        await fixture.Host.Handoffs.PauseAllOutreachAsync(new PauseAllOutreachRequest { TenantId = tenant.Id, ContactId = "hot", CardId = raised.Card.CardId, ActorUserId = "alice" });
        Assert.Equal((false, DenialReason.OutreachPaused), await CheckAsync(tenant, "hot", MessageSource.Si));
        Assert.Equal((false, DenialReason.OutreachPaused), await CheckAsync(tenant, "hot", MessageSource.Manual));

        // An unsubscribe outranks everything.
        var unsubscribed = await tenant.IngestAsync([new ProtoEvents("hot").At(TimeSpan.FromMinutes(1), EventType.Unsubscribed, Channel.Email)]);
        Assert.Equal(1, unsubscribed.AcceptedCount);
        Assert.Equal((false, DenialReason.Unsubscribed), await CheckAsync(tenant, "hot", MessageSource.Si));
        Assert.Equal((false, DenialReason.Unsubscribed), await CheckAsync(tenant, "hot", MessageSource.Manual));
        Assert.True((await tenant.GetContactAsync("hot")).Unsubscribed);
    }

    [Fact]
    public async Task A_message_queued_while_the_gate_denies_its_source_is_held_with_the_reason()
    {
        var tenant = new TestTenant(fixture.Host);
        await tenant.RaiseCardAsync("c-1", owner: "alice");

        var si = await tenant.QueueAsync("c-1", "si-1", MessageSource.Si);
        var manual = await tenant.QueueAsync("c-1", "manual-1", MessageSource.Manual);

        Assert.Equal((MessageStatus.Held, DenialReason.HandoffActive), (si.Status, si.HoldReason));
        Assert.Equal((MessageStatus.Queued, DenialReason.Unspecified), (manual.Status, manual.HoldReason));
        Assert.Equal(["manual-1"], (await ClaimAsync(tenant, "c-1", 0)).Select(m => m.MessageId));
    }

    [Fact]
    public async Task ClaimDueMessages_hands_each_due_message_out_once()
    {
        var tenant = new TestTenant(fixture.Host);
        await tenant.UpsertContactAsync("c-1", phase: PipelinePhase.Engage);
        for (var i = 1; i <= 5; i++)
        {
            await tenant.QueueAsync("c-1", $"m-{i}", MessageSource.Manual);
        }

        var later = await tenant.QueueAsync("c-1", "later", MessageSource.Manual, sendTime: DateTimeOffset.UtcNow.AddHours(1));
        Assert.Equal(MessageStatus.Queued, later.Status);

        var first = await ClaimAsync(tenant, "c-1", 2);
        var second = await ClaimAsync(tenant, "c-1", 2);
        var third = await ClaimAsync(tenant, "c-1", 2);
        var nothingLeft = await ClaimAsync(tenant, "c-1", 2);

        Assert.Equal(["m-1", "m-2"], first.Select(m => m.MessageId));
        Assert.Equal(["m-3", "m-4"], second.Select(m => m.MessageId));
        Assert.Equal(["m-5"], third.Select(m => m.MessageId));
        Assert.Empty(nothingLeft);
        Assert.All(first.Concat(second).Concat(third), m =>
        {
            Assert.Equal(MessageStatus.Claimed, m.Status);
            Assert.NotNull(m.ClaimTime);
        });

        var listed = await ListAsync(tenant, "c-1");
        Assert.Equal(5, listed.Count(m => m.Status == MessageStatus.Claimed));
        Assert.Equal(MessageStatus.Queued, listed.Single(m => m.MessageId == "later").Status);
    }

    [Fact]
    public async Task Concurrent_claims_never_hand_out_a_message_twice()
    {
        var tenant = new TestTenant(fixture.Host);
        await tenant.UpsertContactAsync("c-1", phase: PipelinePhase.Engage);
        var ids = Enumerable.Range(1, 12).Select(i => $"m-{i:D2}").ToList();
        foreach (var id in ids)
        {
            await tenant.QueueAsync("c-1", id, MessageSource.Manual);
        }

        var claims = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => ClaimAsync(tenant, "c-1", 3)));
        var claimed = claims.SelectMany(c => c).Select(m => m.MessageId).ToList();

        Assert.Equal(claimed.Count, claimed.Distinct().Count());
        Assert.Equal(ids, claimed.Order());
        Assert.Empty(await ClaimAsync(tenant, "c-1", 0));
    }

    [Fact]
    public async Task ListMessages_pages_oldest_first_with_page_tokens()
    {
        var tenant = new TestTenant(fixture.Host);
        await tenant.UpsertContactAsync("c-1", phase: PipelinePhase.Engage);
        for (var i = 1; i <= 5; i++)
        {
            await tenant.QueueAsync("c-1", $"m-{i}", i % 2 == 0 ? MessageSource.Si : MessageSource.Manual);
        }

        var pages = new List<string[]>();
        var token = "";
        do
        {
            var page = await Outreach.ListMessagesAsync(new ListMessagesRequest { TenantId = tenant.Id, ContactId = "c-1", PageSize = 2, PageToken = token });
            pages.Add(page.Messages.Select(m => m.MessageId).ToArray());
            Assert.All(page.Messages, m => Assert.Equal("c-1", m.ContactId));
            token = page.NextPageToken;
            Assert.True(pages.Count <= 10, "The page tokens never end.");
        }
        while (token.Length > 0);

        Assert.Equal([["m-1", "m-2"], ["m-3", "m-4"], ["m-5"]], pages);
        Assert.Equal(5, (await ListAsync(tenant, "c-1")).Count);
    }

    private async Task<(bool, DenialReason)> CheckAsync(TestTenant tenant, string contactId, MessageSource source)
    {
        var answer = await tenant.CheckAsync(contactId, source);
        return (answer.Allowed, answer.DenialReason);
    }

    private async Task<IReadOnlyList<OutreachMessage>> ClaimAsync(TestTenant tenant, string contactId, int max) =>
        (await Outreach.ClaimDueMessagesAsync(new ClaimDueMessagesRequest { TenantId = tenant.Id, ContactId = contactId, MaxMessages = max })).Messages;

    private async Task<IReadOnlyList<OutreachMessage>> ListAsync(TestTenant tenant, string contactId) =>
        (await Outreach.ListMessagesAsync(new ListMessagesRequest { TenantId = tenant.Id, ContactId = contactId })).Messages;
}
