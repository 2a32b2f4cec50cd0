using Grpc.Core;
using Grpc.Core.Interceptors;
using Handoff.Server.Limits;
using Handoff.Server.Security;

namespace Handoff.Server.Interceptors;

/// <summary>Counts every API call against its caller's and its tenant's call rate (<see cref="CallerLimits.Call"/>) before anything else is done for it.</summary>
public sealed class CallRateInterceptor(CallerLimits limits) : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Count(context);
        return continuation(request, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Count(context);
        return continuation(request, responseStream, context);
    }

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Count(context);
        return continuation(requestStream, context);
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Count(context);
        return continuation(requestStream, responseStream, context);
    }

    private void Count(ServerCallContext context)
    {
        if (ApiMethods.IsApi(context.Method))
        {
            limits.Call(context.Caller());
        }
    }
}
