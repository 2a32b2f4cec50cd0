using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Handoff.Server.Errors;
using Handoff.Server.Security;
using Microsoft.AspNetCore.Authorization;

namespace Handoff.Server.Interceptors;

/// <summary>
/// Confines every API request to what its caller may touch, before the service sees it: what the request leaves out is
/// taken from the token (tenant, actor, own inbox), then the <see cref="HandoffPolicies.RequestScope"/> policy is
/// checked with the request as its resource. A request naming another tenant, another user's inbox (for an agent) or
/// another actor (for anyone but a service account) is refused PERMISSION_DENIED, naming the field, and changes
/// nothing. On a stream, every message is checked as it is read.
/// </summary>
public sealed class RequestScopeInterceptor(IAuthorizationService authorization) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        await ScopeAsync(request, context);
        return await continuation(request, context);
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        await ScopeAsync(request, context);
        await continuation(request, responseStream, context);
    }

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation) =>
        continuation(new ScopedStream<TRequest>(requestStream, this, context), context);

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation) =>
        continuation(new ScopedStream<TRequest>(requestStream, this, context), responseStream, context);

    private async Task ScopeAsync(object request, ServerCallContext context)
    {
        if (!ApiMethods.IsApi(context.Method) || request is not IMessage message)
        {
            return;
        }

        var caller = context.Caller();
        RequestScope.Of(message).FillDefaults(message, caller);
        var result = await authorization.AuthorizeAsync(caller.Principal, message, HandoffPolicies.RequestScope);
        if (!result.Succeeded)
        {
            throw Denied(result.Failure);
        }
    }

    private static RpcException Denied(AuthorizationFailure? failure)
    {
        var violations = failure?.FailureReasons.OfType<ScopeFailureReason>().Select(r => r.Violation).ToList() ?? [];
        var message = violations.Count > 0
            ? string.Join("; ", violations.Select(v => $"{v.Field} {v.Description}"))
            : "The request reaches beyond what the caller may touch.";
        var fields = string.Join(",", violations.Select(v => v.Field).Distinct());
        return RichStatus.Create(Code.PermissionDenied, message, RichStatus.Reason("OUTSIDE_CALLER_SCOPE", ("fields", fields))).ToRpcException();
    }

    /// <summary>A request stream whose every message is scoped before the service reads it.</summary>
    private sealed class ScopedStream<T>(IAsyncStreamReader<T> inner, RequestScopeInterceptor scope, ServerCallContext context) : IAsyncStreamReader<T>
    {
        public T Current => inner.Current;

        public async Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            if (!await inner.MoveNext(cancellationToken))
            {
                return false;
            }

            await scope.ScopeAsync(inner.Current!, context);
            return true;
        }
    }
}
