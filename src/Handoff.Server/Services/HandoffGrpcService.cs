using Grpc.Core;
using Handoff.Grains;
using Handoff.Protos.V1;
using Handoff.Server.Errors;
using Handoff.Server.Hosting;
using Handoff.Server.Mapping;
using Handoff.Server.Security;
using Handoff.Server.Validation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Handoff.Server.Services;

public sealed class HandoffGrpcService(IGrainFactory grains, IOptions<ApiOptions> api) : HandoffService.HandoffServiceBase
{
    private const int MaxReasonLength = 500;

    [Authorize(Policy = HandoffPolicies.Sidebar)]
    public override async Task<GetHandoffCardResponse> GetHandoffCard(GetHandoffCardRequest request, ServerCallContext context)
    {
        Validate(request.TenantId, request.ContactId).ThrowIfInvalid();
        var contact = await grains.Contact(request.TenantId, request.ContactId).Get();
        if (contact.Card is null)
        {
            throw DomainErrors.CardNotFound(request.ContactId).ToRpcException();
        }

        return new GetHandoffCardResponse { Card = contact.Card.ToProto(), FactSheet = contact.Card.Facts?.ToProto() };
    }

    [Authorize(Policy = HandoffPolicies.Sidebar)]
    public override async Task<ResumeAutomationResponse> ResumeAutomation(ResumeAutomationRequest request, ServerCallContext context)
    {
        Validate(request.TenantId, request.ContactId)
            .Id(request.CardId, "card_id")
            .OptionalId(request.ActorUserId, "actor_user_id")
            .ThrowIfInvalid();
        var contact = await grains.Contact(request.TenantId, request.ContactId).ResumeAutomation(request.CardId, request.ActorUserId);
        return new ResumeAutomationResponse { Contact = contact.ToProto() };
    }

    [Authorize(Policy = HandoffPolicies.Sidebar)]
    public override async Task<PauseAllOutreachResponse> PauseAllOutreach(PauseAllOutreachRequest request, ServerCallContext context)
    {
        Validate(request.TenantId, request.ContactId)
            .OptionalId(request.CardId, "card_id")
            .OptionalId(request.ActorUserId, "actor_user_id")
            .Check(request.Reason.Length <= MaxReasonLength, "reason", $"must be at most {MaxReasonLength} characters")
            .ThrowIfInvalid();
        var contact = await grains.Contact(request.TenantId, request.ContactId)
            .PauseAllOutreach(request.CardId, request.ActorUserId, request.Reason);
        return new PauseAllOutreachResponse { Contact = contact.ToProto() };
    }

    [Authorize(Policy = HandoffPolicies.Sidebar)]
    public override async Task<ResumeOutreachResponse> ResumeOutreach(ResumeOutreachRequest request, ServerCallContext context)
    {
        Validate(request.TenantId, request.ContactId)
            .OptionalId(request.CardId, "card_id")
            .OptionalId(request.ActorUserId, "actor_user_id")
            .ThrowIfInvalid();
        var contact = await grains.Contact(request.TenantId, request.ContactId).ResumeOutreach(request.CardId, request.ActorUserId);
        return new ResumeOutreachResponse { Contact = contact.ToProto() };
    }

    [Authorize(Policy = HandoffPolicies.Sidebar)]
    public override async Task<ListActiveHandoffsResponse> ListActiveHandoffs(ListActiveHandoffsRequest request, ServerCallContext context)
    {
        new RequestValidator(api.Value)
            .TenantId(request.TenantId)
            .Known(request.OwnerFilter, "owner_filter")
            .Check(request.OwnerFilter != OwnerFilter.Owner || request.OwnerUserId.Length > 0, "owner_user_id", "is required when owner_filter is OWNER")
            .OptionalId(request.OwnerUserId, "owner_user_id")
            .PageSize(request.PageSize)
            .PageToken(request.PageToken, out var offset)
            .ThrowIfInvalid();
        var page = await grains.HandoffIndex(request.TenantId)
            .List(request.OwnerFilter.ToDomainFilter(), request.OwnerUserId, (int)offset, api.Value.PageSize(request.PageSize));
        return page.ToResponse();
    }

    private RequestValidator Validate(string tenantId, string contactId) =>
        new RequestValidator(api.Value).Contact(tenantId, contactId);
}
