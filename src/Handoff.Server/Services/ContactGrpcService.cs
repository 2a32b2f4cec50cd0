using Grpc.Core;
using Handoff.Grains;
using Handoff.Protos.V1;
using Handoff.Server.Hosting;
using Handoff.Server.Mapping;
using Handoff.Server.Security;
using Handoff.Server.Validation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Handoff.Server.Services;

public sealed class ContactGrpcService(IGrainFactory grains, IOptions<ApiOptions> api) : ContactService.ContactServiceBase
{
    private const int MaxDisplayNameLength = 200;

    [Authorize(Policy = HandoffPolicies.ContactSync)]
    public override async Task<UpsertContactResponse> UpsertContact(UpsertContactRequest request, ServerCallContext context)
    {
        Validate(request.TenantId, request.ContactId)
            .Check(!request.HasDisplayName || request.DisplayName.Length <= MaxDisplayNameLength, "display_name", $"must be at most {MaxDisplayNameLength} characters")
            .OptionalId(request.OwnerUserId, "owner_user_id")
            .Known(request.Stage, "stage")
            .Known(request.Phase, "phase")
            .OptionalId(request.ActorUserId, "actor_user_id")
            .ThrowIfInvalid();
        var contact = await grains.Contact(request.TenantId, request.ContactId).Upsert(request.ToProfileUpdate());
        return new UpsertContactResponse { Contact = contact.ToProto() };
    }

    [Authorize(Policy = HandoffPolicies.Sidebar)]
    public override async Task<GetContactResponse> GetContact(GetContactRequest request, ServerCallContext context)
    {
        Validate(request.TenantId, request.ContactId).ThrowIfInvalid();
        var contact = await grains.Contact(request.TenantId, request.ContactId).Get();
        return new GetContactResponse { Contact = contact.ToProto() };
    }

    [Authorize(Policy = HandoffPolicies.Sidebar)]
    public override async Task<SetAutoEngageResponse> SetAutoEngage(SetAutoEngageRequest request, ServerCallContext context)
    {
        Validate(request.TenantId, request.ContactId)
            .OptionalId(request.CardId, "card_id")
            .OptionalId(request.ActorUserId, "actor_user_id")
            .ThrowIfInvalid();
        var contact = await grains.Contact(request.TenantId, request.ContactId).SetAutoEngage(request.Enabled, request.CardId, request.ActorUserId);
        return new SetAutoEngageResponse { Contact = contact.ToProto() };
    }

    [Authorize(Policy = HandoffPolicies.AssignOwners)]
    public override async Task<AssignOwnerResponse> AssignOwner(AssignOwnerRequest request, ServerCallContext context)
    {
        Validate(request.TenantId, request.ContactId)
            .OptionalId(request.OwnerUserId, "owner_user_id")
            .OptionalId(request.CardId, "card_id")
            .OptionalId(request.ActorUserId, "actor_user_id")
            .ThrowIfInvalid();
        var contact = await grains.Contact(request.TenantId, request.ContactId).AssignOwner(request.OwnerUserId, request.CardId, request.ActorUserId);
        return new AssignOwnerResponse { Contact = contact.ToProto() };
    }

    [Authorize(Policy = HandoffPolicies.Sidebar)]
    public override async Task<GetContactHistoryResponse> GetContactHistory(GetContactHistoryRequest request, ServerCallContext context)
    {
        Validate(request.TenantId, request.ContactId)
            .PageSize(request.PageSize)
            .PageToken(request.PageToken, out var afterSequence)
            .ThrowIfInvalid();
        var page = await grains.Contact(request.TenantId, request.ContactId).GetHistory(afterSequence, api.Value.PageSize(request.PageSize));
        return page.ToResponse();
    }

    private RequestValidator Validate(string tenantId, string contactId) =>
        new RequestValidator(api.Value).Contact(tenantId, contactId);
}
