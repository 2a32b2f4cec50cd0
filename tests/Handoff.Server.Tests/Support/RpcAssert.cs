using Google.Rpc;
using Grpc.Core;

namespace Handoff.Server.Tests.Support;

/// <summary>Assertions on the status a call fails with.</summary>
public static class RpcAssert
{
    public static async Task<RpcException> FailsAsync(StatusCode expected, Func<Task> call)
    {
        var e = await Assert.ThrowsAsync<RpcException>(call);
        Assert.True(expected == e.StatusCode, $"Expected {expected}, got {e.StatusCode}: {e.Status.Detail}");
        return e;
    }

    /// <summary>
    /// The call fails with INVALID_ARGUMENT and a rich status (grpc-status-details-bin) whose google.rpc.BadRequest
    /// names <paramref name="field"/>. Returns the BadRequest for further checks.
    /// </summary>
    public static async Task<BadRequest> InvalidArgumentAsync(string field, Func<Task> call)
    {
        var e = await FailsAsync(StatusCode.InvalidArgument, call);
        var status = e.GetRpcStatus();
        Assert.True(status is not null, $"INVALID_ARGUMENT without a rich status: {e.Status.Detail}");
        Assert.Equal((int)Code.InvalidArgument, status.Code);
        var badRequest = status.GetDetail<BadRequest>();
        Assert.True(badRequest is not null, $"The rich status carries no google.rpc.BadRequest: {status}");
        Assert.True(badRequest.FieldViolations.Any(v => v.Field == field),
            $"Expected a violation of '{field}', got: {string.Join(", ", badRequest.FieldViolations.Select(v => $"{v.Field} ({v.Description})"))}");
        Assert.All(badRequest.FieldViolations, v => Assert.False(string.IsNullOrWhiteSpace(v.Description)));
        return badRequest;
    }
}
