using Grpc.Core;
using Handoff.Server.Security;
using Microsoft.AspNetCore.Authorization;
using Handoff.Grains;
using Handoff.Grains.Contacts;
using Handoff.Protos.V1;
using Handoff.Server.Hosting;
using Handoff.Server.Mapping;
using Handoff.Server.Validation;
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

        var message = new NewOutreachMessage
        {
            MessageId = request.MessageId,
            Source = (Domain.Model.MessageSource)request.Source,
            Channel = (Domain.Model.Channel)request.Channel,
            Subject = request.Subject,
            Body = request.Body,
            SendAfter = request.SendTime?.ToDateTimeOffset(),
            ActorUserId = request.ActorUserId,
        };
        var queued = await grains.Contact(request.TenantId, request.ContactId).QueueMessage(message);
        return new QueueMessageResponse { Message = queued.ToProto(request.ContactId) };
    }

    [Authorize(Policy = HandoffPolicies.Outreach)]
    public override async Task<ListMessagesResponse> ListMessages(ListMessagesRequest request, ServerCallContext context)
    {
        Validate(request.TenantId, request.ContactId)
            .PageSize(request.PageSize)
            .PageToken(request.PageToken, out var offset)
            .ThrowIfInvalid();
        var pageSize = request.PageSize == 0 ? api.Value.DefaultPageSize : request.PageSize;
        var page = await grains.Contact(request.TenantId, request.ContactId).ListMessages((int)offset, pageSize);
        var response = new ListMessagesResponse { NextPageToken = PageToken.Encode(page.NextOffset) };
        response.Messages.AddRange(page.Messages.Select(m => m.ToProto(request.ContactId)));
        return response;
    }

    [Authorize(Policy = HandoffPolicies.Outreach)]
    public override async Task<CheckOutreachResponse> CheckOutreach(CheckOutreachRequest request, ServerCallContext context)
    {
        Validate(request.TenantId, request.ContactId).Specified(request.Source, "source").ThrowIfInvalid();
        var answer = await grains.Contact(request.TenantId, request.ContactId).CheckOutreach((Domain.Model.MessageSource)request.Source);
        return new CheckOutreachResponse
        {
            Allowed = answer.Allowed,
            DenialReason = answer.DenialReason is { } reason ? (DenialReason)reason : DenialReason.Unspecified,
        };
    }

    [Authorize(Policy = HandoffPolicies.SendOutreach)]
    public override async Task<ClaimDueMessagesResponse> ClaimDueMessages(ClaimDueMessagesRequest request, ServerCallContext context)
    {
        Validate(request.TenantId, request.ContactId).PageSize(request.MaxMessages, "max_messages").ThrowIfInvalid();
        var max = request.MaxMessages == 0 ? api.Value.DefaultPageSize : request.MaxMessages;
        var claimed = await grains.Contact(request.TenantId, request.ContactId).ClaimDueMessages(max);
        var response = new ClaimDueMessagesResponse();
        response.Messages.AddRange(claimed.Select(m => m.ToProto(request.ContactId)));
        return response;
    }

    private RequestValidator Validate(string tenantId, string contactId) =>
        new RequestValidator(api.Value).Contact(tenantId, contactId);
}
