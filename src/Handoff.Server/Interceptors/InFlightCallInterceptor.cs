using Grpc.Core;
using Grpc.Core.Interceptors;
using Handoff.Server.Hosting;

namespace Handoff.Server.Interceptors;

/// <summary>
/// Counts every API call in and out (see <see cref="InFlightCalls"/>), and turns new ones away with UNAVAILABLE
/// while the server drains for shutdown. Health checks and reflection are never turned away: a draining server
/// must still be able to say that it is not serving.
/// </summary>
public sealed class InFlightCallInterceptor(InFlightCalls calls) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        using var _ = Enter(context);
        return await continuation(request, context);
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        using var _ = Enter(context);
        await continuation(request, responseStream, context);
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        using var _ = Enter(context);
        await continuation(requestStream, responseStream, context);
    }

    private Registration? Enter(ServerCallContext context)
    {
        if (!ApiMethods.IsApi(context.Method))
        {
            return null;
        }

        if (!calls.TryEnter())
        {
            throw new RpcException(new Status(StatusCode.Unavailable, "This server is shutting down; send the call to another one."));
        }

        return new Registration(calls);
    }

    private sealed class Registration(InFlightCalls calls) : IDisposable
    {
        public void Dispose() => calls.Exit();
    }
}
