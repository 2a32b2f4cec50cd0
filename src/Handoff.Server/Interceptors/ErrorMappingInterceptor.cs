using System.Data.Common;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Handoff.Grains.Contacts;
using Orleans.Runtime;

namespace Handoff.Server.Interceptors;

/// <summary>
/// Turns rule violations raised by grains into the gRPC status a client can act on, for every method in one place.
/// Anything unexpected is logged and answered INTERNAL without leaking details.
/// </summary>
public sealed partial class ErrorMappingInterceptor(ILogger<ErrorMappingInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw Map(e, context);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw Map(e, context);
        }
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(requestStream, responseStream, context);
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw Map(e, context);
        }
    }

    private RpcException Map(Exception e, ServerCallContext context) => e switch
    {
        ContactNotFoundException notFound => new RpcException(new Status(StatusCode.NotFound, notFound.Message)),
        StaleCardException stale => new RpcException(new Status(StatusCode.FailedPrecondition, stale.Message)),
        OutboxFullException full => new RpcException(new Status(StatusCode.ResourceExhausted, full.Message)),
        // A silo of the cluster is going away: UNAVAILABLE tells the client a retry may succeed.
        SiloUnavailableException or OrleansMessageRejectionException => new RpcException(new Status(StatusCode.Unavailable, "A server of the cluster is going away; the call may not have been applied. Retry if it is safe to.")),
        // A grain did not answer within Orleans' response timeout (an overloaded server): the work may or may not have
        // been done, and a retry is safe for the idempotent calls (ingest by event id, actions by card id).
        TimeoutException => Unavailable(e, context, "The server did not finish in time"),
        // The database refused or dropped a connection (too many clients, a restart, a failover): nothing was
        // acknowledged, and the same call is likely to succeed once the database is back.
        DbException { IsTransient: true } => Unavailable(e, context, "The database is not available right now"),
        OperationCanceledException when context.CancellationToken.IsCancellationRequested =>
            new RpcException(new Status(StatusCode.Cancelled, "The call was cancelled.")),
        _ => Unexpected(e, context),
    };

    /// <summary>A passing condition, logged, answered UNAVAILABLE: the client may retry the call where that is safe.</summary>
    private RpcException Unavailable(Exception e, ServerCallContext context, string condition)
    {
        LogUnavailable(e, context.Method, condition);
        return new RpcException(new Status(StatusCode.Unavailable, $"{condition}; the call may not have been applied. Retry if it is safe to."));
    }

    private RpcException Unexpected(Exception e, ServerCallContext context)
    {
        LogUnexpected(e, context.Method);
        return new RpcException(new Status(StatusCode.Internal, "Internal error; the server log has the details."));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method}: {Condition}; answered UNAVAILABLE.")]
    private partial void LogUnavailable(Exception exception, string method, string condition);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected error in {Method}.")]
    private partial void LogUnexpected(Exception exception, string method);
}
