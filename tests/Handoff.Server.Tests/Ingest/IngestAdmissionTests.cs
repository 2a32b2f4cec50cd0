using Google.Rpc;
using Grpc.Core;
using Handoff.Server.Hosting;
using Handoff.Server.Ingest;
using Microsoft.Extensions.Options;

namespace Handoff.Server.Tests.Ingest;

/// <summary>The server-wide bound on batches in process: streams wait for a place, a unary batch is turned away with a retry hint.</summary>
public sealed class IngestAdmissionTests
{
    private static IngestAdmission Admission(int places) => new(Options.Create(new IngestOptions
    {
        MaxBatchesInFlight = places,
        AdmissionWait = TimeSpan.Zero,
        RetryAfter = TimeSpan.FromMilliseconds(750),
    }));

    [Fact]
    public async Task A_unary_batch_finding_every_place_taken_gets_RESOURCE_EXHAUSTED_with_the_retry_delay()
    {
        using var admission = Admission(places: 2);
        using var first = await admission.EnterOrRefuseAsync(CancellationToken.None);
        using var second = await admission.EnterAsync(CancellationToken.None);

        var refused = await Assert.ThrowsAsync<RpcException>(() => admission.EnterOrRefuseAsync(CancellationToken.None));

        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        var retry = refused.GetRpcStatus()!.GetDetail<RetryInfo>();
        Assert.Equal(TimeSpan.FromMilliseconds(750), retry.RetryDelay.ToTimeSpan());
    }

    [Fact]
    public async Task A_stream_waits_for_a_place_and_gets_it_when_a_batch_finishes()
    {
        using var admission = Admission(places: 1);
        var held = await admission.EnterAsync(CancellationToken.None);

        var waiting = admission.EnterAsync(CancellationToken.None);
        Assert.False(waiting.IsCompleted);

        held.Dispose();
        held.Dispose(); // a place is given back once, however often its holder lets go
        using var next = await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        await Assert.ThrowsAsync<RpcException>(() => admission.EnterOrRefuseAsync(CancellationToken.None));
    }
}
