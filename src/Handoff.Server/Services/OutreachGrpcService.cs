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

public sealed class OutreachGrpcService(IGrainFactory grains, IOptions<ApiOptions> api) : OutreachService.OutreachServiceBase
{
    private const int MaxSubjectLength = 500;

    [Authorize(Policy = HandoffPolicies.Outreach)]
    public override async Task<QueueMessageResponse> QueueMessage(QueueMessageRequest request, ServerCallContext context)
    {
        Validate(request.TenantId, request.ContactId)
            .OptionalId(request.MessageId, "message_id")
            .Specified(request.Source, "source")
            .Specified(request.Channel, "channel")
            .Check(request.Subject.Length <= MaxSubjectLength, "subject", $"must be at most {MaxSubjectLength} characters")
            .Check(request.Body.Length > 0, "body", "is required")
            .Check(request.Body.Length <= api.Value.MaxMessageBodyLength, "body", $"must be at most {api.Value.MaxMessageBodyLength} characters")
            .Time(request.SendTime, "send_time", required: false)
            .OptionalId(request.ActorUserId, "actor_user_id")
            .ThrowIfInvalid();
        var queued = await grains.Contact(request.TenantId, request.ContactId).QueueMessage(request.ToNewMessage());
        return new QueueMessageResponse { Message = queued.ToProto(request.ContactId) };
    }

    [Authorize(Policy = HandoffPolicies.Outreach)]
    public override async Task<ListMessagesResponse> ListMessages(ListMessagesRequest request, ServerCallContext context)
    {
        Validate(request.TenantId, request.ContactId)
            .PageSize(request.PageSize)
            .PageToken(request.PageToken, out var offset)
            .ThrowIfInvalid();
        var page = await grains.Contact(request.TenantId, request.ContactId).ListMessages((int)offset, api.Value.PageSize(request.PageSize));
        return page.ToResponse(request.ContactId);
    }

    [Authorize(Policy = HandoffPolicies.Outreach)]
    public override async Task<CheckOutreachResponse> CheckOutreach(CheckOutreachRequest request, ServerCallContext context)
    {
        Validate(request.TenantId, request.ContactId).Specified(request.Source, "source").ThrowIfInvalid();
        var answer = await grains.Contact(request.TenantId, request.ContactId).CheckOutreach(request.Source.ToDomain());
        return answer.ToResponse();
    }

    [Authorize(Policy = HandoffPolicies.SendOutreach)]
    public override async Task<ClaimDueMessagesResponse> ClaimDueMessages(ClaimDueMessagesRequest request, ServerCallContext context)
    {
        Validate(request.TenantId, request.ContactId).PageSize(request.MaxMessages, "max_messages").ThrowIfInvalid();
        var claimed = await grains.Contact(request.TenantId, request.ContactId).ClaimDueMessages(api.Value.PageSize(request.MaxMessages));
        return claimed.ToClaimResponse(request.ContactId);
    }

    private RequestValidator Validate(string tenantId, string contactId) =>
        new RequestValidator(api.Value).Contact(tenantId, contactId);
}
