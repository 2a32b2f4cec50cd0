using Grpc.Core;

namespace Handoff.Server.Tests.Support;

/// <summary>Reads from response streams with a deadline instead of sleeping: a missing message fails the test, it never hangs it.</summary>
public static class Streams
{
    /// <summary>Long enough for a loaded two-core machine; only reached when something is wrong.</summary>
    public static readonly TimeSpan Patience = Wait.Patience;

    public static async Task<T> NextAsync<T>(this IAsyncStreamReader<T> reader, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? Patience);
        try
        {
            Assert.True(await reader.MoveNext(deadline.Token), "The stream ended while a message was expected.");
            return reader.Current;
        }
        catch (Exception e) when (deadline.IsCancellationRequested && e is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled })
        {
            throw new TimeoutException($"No message arrived within {timeout ?? Patience}.", e);
        }
    }

    /// <summary>The stream ends cleanly (status OK) without another message.</summary>
    public static async Task EndsAsync<T>(this IAsyncStreamReader<T> reader, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? Patience);
        var more = await reader.MoveNext(deadline.Token);
        Assert.False(more, more ? $"Unexpected extra message: {reader.Current}" : "");
    }
}
