using Google.Rpc;
using Grpc.Core;
using Handoff.Protos.V1;
using Handoff.Server.Tests.Support;

namespace Handoff.Server.Tests.Services;

/// <summary>
/// The contact's rule violations carry google.rpc details a client can branch on, read back from the real host's
/// grpc-status-details-bin: PreconditionFailure and ErrorInfo STALE_CARD for a stale card, ErrorInfo CONTACT_NOT_FOUND,
/// CARD_NOT_FOUND and OUTBOX_FULL with the ids and the limit in their metadata.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class ErrorDetailsTests(ServerFixture fixture)
{
    [Fact]
    public async Task A_stale_card_is_a_PreconditionFailure_on_the_card_and_an_ErrorInfo_naming_the_current_card()
    {
        var tenant = new TestTenant(fixture.Host);
        var raised = await tenant.RaiseCardAsync("c-1", owner: "alice");

        var e = await RpcAssert.FailsAsync(StatusCode.FailedPrecondition, () => fixture.Host.Handoffs.ResumeAutomationAsync(
            new ResumeAutomationRequest { TenantId = tenant.Id, ContactId = "c-1", CardId = "an-older-card", ActorUserId = "alice" }).ResponseAsync);

        var status = Rich(e, Code.FailedPrecondition);
        var violation = Assert.Single(Detail<PreconditionFailure>(status).Violations);
        Assert.Equal(("STALE_CARD", "cards/an-older-card"), (violation.Type, violation.Subject));
        Assert.Contains(raised.Card.CardId, violation.Description);
        var info = Reason(status, "STALE_CARD");
        Assert.Equal("an-older-card", info.Metadata["cardId"]);
        Assert.Equal(raised.Card.CardId, info.Metadata["currentCardId"]);
        Assert.Contains("an-older-card", e.Status.Detail);
    }

    [Fact]
    public async Task A_card_named_on_a_contact_without_one_is_STALE_CARD_with_an_empty_current_card()
    {
        var tenant = new TestTenant(fixture.Host);
        await tenant.UpsertContactAsync("c-1", owner: "alice");

        var e = await RpcAssert.FailsAsync(StatusCode.FailedPrecondition, () => fixture.Host.Contacts.AssignOwnerAsync(new AssignOwnerRequest
        {
            TenantId = tenant.Id, ContactId = "c-1", CardId = "card-from-another-screen", OwnerUserId = "bob", ActorUserId = "alice",
        }).ResponseAsync);

        var status = Rich(e, Code.FailedPrecondition);
        Assert.Equal("cards/card-from-another-screen", Assert.Single(Detail<PreconditionFailure>(status).Violations).Subject);
        Assert.Equal("", Reason(status, "STALE_CARD").Metadata["currentCardId"]);
    }

    [Fact]
    public async Task A_contact_never_created_is_CONTACT_NOT_FOUND_with_its_id()
    {
        var tenant = ServerFixture.NewTenant();

        var e = await RpcAssert.FailsAsync(StatusCode.NotFound, () => fixture.Host.Contacts.GetContactAsync(
            new GetContactRequest { TenantId = tenant, ContactId = "nobody" }).ResponseAsync);

        Assert.Equal("nobody", Reason(Rich(e, Code.NotFound), "CONTACT_NOT_FOUND").Metadata["contactId"]);
    }

    [Fact]
    public async Task A_contact_that_never_had_a_card_is_CARD_NOT_FOUND_with_its_id()
    {
        var tenant = new TestTenant(fixture.Host);
        await tenant.UpsertContactAsync("c-1", owner: "alice");

        var e = await RpcAssert.FailsAsync(StatusCode.NotFound, () => fixture.Host.Handoffs.GetHandoffCardAsync(
            new GetHandoffCardRequest { TenantId = tenant.Id, ContactId = "c-1" }).ResponseAsync);

        Assert.Equal("c-1", Reason(Rich(e, Code.NotFound), "CARD_NOT_FOUND").Metadata["contactId"]);
        Assert.Equal("Contact 'c-1' has no handoff card.", e.Status.Detail);
    }

    [Fact]
    public async Task A_full_outbox_is_OUTBOX_FULL_with_the_limit()
    {
        const int limit = 2;
        await using var host = await ServerHost.StartAsync(null, $"Handoff:Contacts:MaxPendingMessages={limit}");
        var tenant = new TestTenant(host);
        await tenant.UpsertContactAsync("c-1", phase: PipelinePhase.Engage);
        for (var i = 0; i < limit; i++)
        {
            await tenant.QueueAsync("c-1", $"m-{i}", MessageSource.Manual);
        }

        var e = await RpcAssert.FailsAsync(StatusCode.ResourceExhausted, () => tenant.QueueAsync("c-1", "one-too-many", MessageSource.Manual));

        Assert.Equal($"{limit}", Reason(Rich(e, Code.ResourceExhausted), "OUTBOX_FULL").Metadata["limit"]);
    }

    private static Google.Rpc.Status Rich(RpcException e, Code code)
    {
        var status = e.GetRpcStatus();
        Assert.True(status is not null, $"{e.StatusCode} without a rich status: {e.Status.Detail}");
        Assert.Equal((int)code, status.Code);
        Assert.Equal(e.Status.Detail, status.Message);
        return status;
    }

    private static T Detail<T>(Google.Rpc.Status status) where T : class, Google.Protobuf.IMessage<T>, new()
    {
        var detail = status.GetDetail<T>();
        Assert.True(detail is not null, $"The rich status carries no {typeof(T).Name}: {status}");
        return detail;
    }

    private static ErrorInfo Reason(Google.Rpc.Status status, string reason)
    {
        var info = Detail<ErrorInfo>(status);
        Assert.Equal((reason, "handoff.v1"), (info.Reason, info.Domain));
        return info;
    }
}
