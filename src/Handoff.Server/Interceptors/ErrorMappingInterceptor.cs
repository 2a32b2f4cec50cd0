using System.Data.Common;
using Google.Rpc;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Handoff.Grains.Contacts;
using Handoff.Server.Errors;
using Orleans.Runtime;

namespace Handoff.Server.Interceptors;

/// <summary>
/// Every error a call ends with, in one place: rule violations raised by grains become the gRPC status a client can act
/// on; a call the client cancelled or reset is CANCELLED; anything unexpected is INTERNAL without details. Each answer
/// carries a correlation id (google.rpc.RequestInfo) that is also in its log line (<see cref="ErrorLog"/>).
/// </summary>
public sealed class ErrorMappingInterceptor(ErrorLog log) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (Exception e)
        {
            throw Answer(e, context);
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
        catch (Exception e)
        {
            throw Answer(e, context);
        }
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(requestStream, context);
        }
        catch (Exception e)
        {
            throw Answer(e, context);
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
        catch (Exception e)
        {
            throw Answer(e, context);
        }
    }

    private RpcException Answer(Exception e, ServerCallContext context)
    {
        var correlationId = context.GetHttpContext().TraceIdentifier;
        var (status, logged) = Map(e, context, correlationId);
        if (!logged)
        {
            log.Answered(context.Method, (StatusCode)status.Code, status.Message, correlationId);
        }

        return status.WithCorrelationId(correlationId).ToRpcException();
    }

    /// <summary>The status to answer, and whether its log line is written already.</summary>
    private (Google.Rpc.Status Status, bool Logged) Map(Exception e, ServerCallContext context, string correlationId) => e switch
    {
        // A message of a request stream that grpc-dotnet could not cut out of the body: the client framed it wrong.
        RpcException rpc when FrameworkAnswers.IsMisframed(rpc.Status) => (FrameworkAnswers.Malformed(rpc.Status.Detail), false),
        // A status that carries a correlation id was logged where it was made (a request body that could not be parsed).
        RpcException rpc => Passed(rpc),
        // The client went away (cancelled, reset the stream, or its connection dropped): whatever the exception the
        // interrupted work threw, the call was cancelled, and nobody is listening for more.
        _ when context.CancellationToken.IsCancellationRequested => (RichStatus.Create(Code.Cancelled, "The call was cancelled."), false),
        ContactNotFoundException notFound => (DomainErrors.ContactNotFound(notFound), false),
        StaleCardException stale => (DomainErrors.StaleCard(stale), false),
        OutboxFullException full => (DomainErrors.OutboxFull(full), false),
        // A silo of the cluster is going away: UNAVAILABLE tells the client a retry may succeed.
        SiloUnavailableException or OrleansMessageRejectionException => (RichStatus.Create(Code.Unavailable,
            "A server of the cluster is going away; the call may not have been applied. Retry if it is safe to."), false),
        // A grain did not answer within Orleans' response timeout (an overloaded server): the work may or may not have
        // been done, and a retry is safe for the idempotent calls (ingest by event id, actions by card id).
        TimeoutException => (Unavailable(e, context, correlationId, "The server did not finish in time"), true),
        // The database refused or dropped a connection (too many clients, a restart, a failover): nothing was
        // acknowledged, and the same call is likely to succeed once the database is back.
        DbException { IsTransient: true } => (Unavailable(e, context, correlationId, "The database is not available right now"), true),
        _ => (Unexpected(e, context, correlationId), true),
    };

    private static (Google.Rpc.Status, bool) Passed(RpcException rpc)
    {
        var status = RichStatus.Of(rpc);
        return (status, status.GetDetail<RequestInfo>() is not null);
    }

    /// <summary>A passing condition, logged, answered UNAVAILABLE: the client may retry the call where that is safe.</summary>
    private Google.Rpc.Status Unavailable(Exception e, ServerCallContext context, string correlationId, string condition)
    {
        log.Unavailable(context.Method, condition, e, correlationId);
        return RichStatus.Create(Code.Unavailable, $"{condition}; the call may not have been applied. Retry if it is safe to.");
    }

    private Google.Rpc.Status Unexpected(Exception e, ServerCallContext context, string correlationId)
    {
        log.Unexpected(context.Method, e, correlationId);
        return RichStatus.Create(Code.Internal, "Internal error; the server log has the details under this call's correlation id.");
    }
}
