using Grpc.Core;

namespace Handoff.Server.Errors;

/// <summary>
/// One log line for every error a client is answered, with the correlation id the client got in google.rpc.RequestInfo.
/// Errors the client caused are logged without a stack trace (information; a cancelled call at debug); failures of
/// the server with one, which the <see cref="LogGuard"/> writes within the <see cref="StackTraceBudget"/>.
/// </summary>
public sealed partial class ErrorLog(ILogger<ErrorLog> logger)
{
    public void Answered(string method, StatusCode code, string detail, string correlationId)
    {
        if (code == StatusCode.Cancelled)
        {
            LogCancelled(method, correlationId);
        }
        else
        {
            LogAnswered(method, code, detail, correlationId);
        }
    }

    /// <summary>A passing condition of the server (a timeout, a database away): warning.</summary>
    public void Unavailable(string method, string condition, Exception exception, string correlationId) =>
        LogUnavailable(exception, method, condition, correlationId);

    /// <summary>A failure nobody planned for: error, the trace the way to find it.</summary>
    public void Unexpected(string method, Exception exception, string correlationId) =>
        LogUnexpected(exception, method, correlationId);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Method} answered {StatusCode}: {Detail} [correlation id {CorrelationId}]")]
    private partial void LogAnswered(string method, StatusCode statusCode, string detail, string correlationId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Method} was cancelled by the client [correlation id {CorrelationId}]")]
    private partial void LogCancelled(string method, string correlationId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method}: {Condition}; answered UNAVAILABLE [correlation id {CorrelationId}]")]
    private partial void LogUnavailable(Exception exception, string method, string condition, string correlationId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected error in {Method}; answered INTERNAL [correlation id {CorrelationId}]")]
    private partial void LogUnexpected(Exception exception, string method, string correlationId);
}
