using Google.Rpc;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Handoff.Server.Interceptors;
using Microsoft.AspNetCore.Http.Features;

namespace Handoff.Server.Errors;

/// <summary>
/// The answers grpc-dotnet gives on its own, given the API's form. It reads the one request message of a unary or
/// server-streaming call before any interceptor runs, and ends the call itself, with a bare status, when the body is not
/// exactly one gRPC message (INTERNAL "Incomplete message." for none, "Additional data after the message received." for
/// more, UNKNOWN for a message header it cannot read) or is larger than Handoff:Api:MaxReceiveMessageSize
/// (RESOURCE_EXHAUSTED). A middleware around the API's endpoints is the one place that sees those answers before they
/// leave: a body framed wrong is INVALID_ARGUMENT (MALFORMED_REQUEST), as a body that is not a message is
/// (<see cref="Hosting.StrictParsingServiceMethodProvider{TService}"/>), and every answer without a rich status gets one,
/// with the correlation id of its log line. Inside a stream the same errors reach <see cref="ErrorMappingInterceptor"/>,
/// which maps them with <see cref="IsMisframed"/>.
/// </summary>
public static class FrameworkAnswers
{
    /// <summary>grpc-dotnet's words for a request body that is not exactly one gRPC message (Grpc.AspNetCore.Server's PipeExtensions).</summary>
    private static readonly HashSet<string> Misframed = new(StringComparer.Ordinal)
    {
        "Incomplete message.",
        "Additional data after the message received.",
        "Request did not include grpc-encoding value with compressed message.",
        "Request sent 'identity' grpc-encoding value with compressed message.",
    };

    private const string TooLarge = "Received message exceeds the maximum configured message size.";

    /// <summary>Whether grpc-dotnet refused the request body for its framing: the client's mistake, not the server's.</summary>
    public static bool IsMisframed(Grpc.Core.Status status) => status.StatusCode == StatusCode.Internal && Misframed.Contains(status.Detail);

    /// <summary>INVALID_ARGUMENT for a body grpc-dotnet could not cut into exactly one message (<paramref name="how"/> says why).</summary>
    public static Google.Rpc.Status Malformed(string how) => RichStatus.Create(Code.InvalidArgument,
        $"The request body is not exactly one well-formed gRPC message of this method's request type: {how}", RichStatus.Reason("MALFORMED_REQUEST"));

    /// <summary>The API's answer for a call grpc-dotnet ended with <paramref name="status"/>.</summary>
    private static Google.Rpc.Status Answer(Grpc.Core.Status status) => status switch
    {
        _ when IsMisframed(status) => Malformed(status.Detail),
        // A message header whose flag is neither 0 nor 1, or whose length is past 2 GiB, or compressed bytes that do not
        // decompress: grpc-dotnet's reader throws, and the call ends UNKNOWN before any code of the API ran.
        { StatusCode: StatusCode.Unknown, DebugException: InvalidDataException or IOException } => Malformed("its message header or compression is not valid."),
        { StatusCode: StatusCode.ResourceExhausted, Detail: TooLarge } => RichStatus.Create(Code.ResourceExhausted, TooLarge, RichStatus.Reason("REQUEST_TOO_LARGE")),
        _ => RichStatus.Create((Code)status.StatusCode, status.Detail),
    };

    public static void UseFrameworkAnswers(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var log = app.Services.GetRequiredService<ErrorLog>();
        app.Use(async (context, next) =>
        {
            await next(context);
            if (!ApiMethods.IsApi(context.Request.Path) || !TrailersOnlyResponse.IsGrpc(context.Request) || context.RequestAborted.IsCancellationRequested
                || Ended(context) is not { } ended || ended.StatusCode is StatusCode.OK or StatusCode.Cancelled or StatusCode.DeadlineExceeded)
            {
                return;
            }

            // Before the response started grpc-dotnet puts the status in the headers (trailers-only), after it in the
            // trailers; either way they leave once this middleware returns. Every answer of the API's own code carries
            // grpc-status-details-bin already.
            var destination = context.Response.HasStarted ? context.Features.Get<IHttpResponseTrailersFeature>()?.Trailers : context.Response.Headers;
            if (destination is null || destination.IsReadOnly || destination.ContainsKey("grpc-status-details-bin"))
            {
                return;
            }

            var status = Answer(ended);
            var correlationId = context.TraceIdentifier;
            log.Answered(context.Request.Path, (StatusCode)status.Code, status.Message, correlationId);
            TrailersOnlyResponse.SetStatus(destination, status.WithCorrelationId(correlationId));
        });
    }

    /// <summary>
    /// How the call ended: its status, or for a method that does not exist (no call was made) the status grpc-dotnet
    /// wrote in the headers; null when neither says.
    /// </summary>
    private static Grpc.Core.Status? Ended(HttpContext context)
    {
        if (context.Features.Get<IServerCallContextFeature>()?.ServerCallContext is { } call)
        {
            return call.Status;
        }

        return int.TryParse(context.Response.Headers["grpc-status"], out var code)
            ? new Grpc.Core.Status((StatusCode)code, Uri.UnescapeDataString(context.Response.Headers["grpc-message"].ToString()))
            : null;
    }
}
