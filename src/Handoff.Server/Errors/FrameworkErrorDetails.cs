using Google.Protobuf;
using Grpc.Core;

namespace Handoff.Server.Errors;

/// <summary>
/// Errors grpc-dotnet answers itself, before any interceptor sees the call (a request message over the size limit,
/// a method or service that does not exist), get what every other error of the host has: a google.rpc.Status with
/// the correlation id, and one log line with it. They are trailers-only answers, so the status is still in the
/// headers when the response starts; one that already carries details was made, and logged, by the host.
/// </summary>
public static class FrameworkErrorDetails
{
    private const string StatusHeader = "grpc-status";
    private const string MessageHeader = "grpc-message";
    private const string DetailsHeader = "grpc-status-details-bin";

    public static IApplicationBuilder UseFrameworkErrorDetails(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var log = app.ApplicationServices.GetRequiredService<ErrorLog>();
        return app.Use((context, next) =>
        {
            if (TrailersOnlyResponse.IsGrpc(context.Request))
            {
                context.Response.OnStarting(static state =>
                {
                    var (context, log) = ((HttpContext, ErrorLog))state;
                    AddDetails(context, log);
                    return Task.CompletedTask;
                }, (context, log));
            }

            return next(context);
        });
    }

    private static void AddDetails(HttpContext context, ErrorLog log)
    {
        var headers = context.Response.Headers;
        if (!int.TryParse(headers[StatusHeader], out var code) || code == (int)StatusCode.OK || headers.ContainsKey(DetailsHeader))
        {
            return;
        }

        var message = Uri.UnescapeDataString(headers[MessageHeader].ToString());
        var status = new Google.Rpc.Status { Code = code, Message = message }.WithCorrelationId(context.TraceIdentifier);
        headers[DetailsHeader] = Convert.ToBase64String(status.ToByteArray());
        log.Answered(context.Request.Path, (StatusCode)code, message, context.TraceIdentifier);
    }
}
