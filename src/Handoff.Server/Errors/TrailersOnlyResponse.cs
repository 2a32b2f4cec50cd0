using System.Globalization;
using System.Text;
using Google.Protobuf;

namespace Handoff.Server.Errors;

/// <summary>
/// Answers a gRPC request that never reaches a service (refused by authentication or authorization) the way gRPC
/// answers an error at once: HTTP 200 with grpc-status, grpc-message and grpc-status-details-bin as headers and no body,
/// which plain gRPC, gRPC-Web (whose middleware sets the content type) and browsers (through CORS) all read.
/// </summary>
public static class TrailersOnlyResponse
{
    public static bool IsGrpc(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true;
    }

    public static Task WriteAsync(HttpContext context, Google.Rpc.Status status)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(status);
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/grpc";
        SetStatus(response.Headers, status);
        return response.CompleteAsync();
    }

    /// <summary>Sets grpc-status, grpc-message and grpc-status-details-bin of a response's headers or trailers to <paramref name="status"/>.</summary>
    public static void SetStatus(IHeaderDictionary headers, Google.Rpc.Status status)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(status);
        headers["grpc-status"] = status.Code.ToString(CultureInfo.InvariantCulture);
        headers["grpc-message"] = PercentEncode(status.Message);
        headers["grpc-status-details-bin"] = Convert.ToBase64String(status.ToByteArray());
    }

    /// <summary>grpc-message is percent-encoded UTF-8: printable ASCII stays, '%' and everything else is escaped.</summary>
    private static string PercentEncode(string message)
    {
        var encoded = new StringBuilder(message.Length);
        foreach (var b in Encoding.UTF8.GetBytes(message))
        {
            if (b is >= 0x20 and <= 0x7E && b != (byte)'%')
            {
                encoded.Append((char)b);
            }
            else
            {
                encoded.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return encoded.ToString();
    }
}
