using Grpc.Core;

namespace Handoff.Server.Security;

public static class CallerExtensions
{
    /// <summary>
    /// The caller of an API call, as its token said (set when the token was validated). Every API method requires a
    /// token, so a call without one never reaches the service.
    /// </summary>
    public static Caller Caller(this ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.GetHttpContext().Features.Get<Caller>()
            ?? throw new RpcException(new Status(StatusCode.Unauthenticated, "This call needs a bearer token."));
    }
}
