using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace Handoff.Server.Errors;

/// <summary>
/// The google.rpc.Status every refused call gets, with the details a client acts on (AIP-193): ErrorInfo with a reason,
/// RetryInfo when waiting helps, and, added on the way out, RequestInfo with the correlation id of the server's log line.
/// </summary>
public static class RichStatus
{
    /// <summary>The ErrorInfo domain of every error this API raises.</summary>
    public const string Domain = "handoff.v1";

    public static Google.Rpc.Status Create(Code code, string message, params IMessage[] details)
    {
        var status = new Google.Rpc.Status { Code = (int)code, Message = message };
        foreach (var detail in details)
        {
            status.Details.Add(Any.Pack(detail));
        }

        return status;
    }

    public static ErrorInfo Reason(string reason, params (string Key, string Value)[] metadata)
    {
        var info = new ErrorInfo { Reason = reason, Domain = Domain };
        foreach (var (key, value) in metadata)
        {
            info.Metadata[key] = value;
        }

        return info;
    }

    /// <summary>RESOURCE_EXHAUSTED with the delay after which the same call may succeed.</summary>
    public static RpcException ResourceExhausted(string reason, string message, TimeSpan retryAfter) =>
        Create(Code.ResourceExhausted, message, Reason(reason), new RetryInfo { RetryDelay = Duration.FromTimeSpan(retryAfter) }).ToRpcException();

    /// <summary>
    /// The status of <paramref name="exception"/> as a google.rpc.Status: its rich status when it carries one, else one
    /// built from its code and message.
    /// </summary>
    public static Google.Rpc.Status Of(RpcException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception.GetRpcStatus() ?? new Google.Rpc.Status { Code = (int)exception.StatusCode, Message = exception.Status.Detail };
    }

    /// <summary>Adds the correlation id (google.rpc.RequestInfo) unless the status has one.</summary>
    public static Google.Rpc.Status WithCorrelationId(this Google.Rpc.Status status, string correlationId)
    {
        ArgumentNullException.ThrowIfNull(status);
        if (status.GetDetail<RequestInfo>() is null)
        {
            status.Details.Add(Any.Pack(new RequestInfo { RequestId = correlationId }));
        }

        return status;
    }
}
