using Google.Rpc;
using Grpc.Core;
using Handoff.Server.Hosting;
using Handoff.Server.Ingest;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Handoff.Server.Tests.Ingest;

/// <summary>
/// The door of the ingest path: streams wait for a place, a unary batch is turned away with a retry hint, and the number
/// of places follows the time batches take.
/// </summary>
public sealed class IngestAdmissionTests
{
    private const int Events = 500;

    private readonly FakeTimeProvider clock = new();

    private IngestAdmission Admission(int places, AdaptiveLimitOptions? adaptive = null) => new(
        Options.Create(new IngestOptions { MaxBatchesInFlight = places, AdmissionWait = TimeSpan.Zero, RetryAfter = TimeSpan.FromMilliseconds(750) }),
        Options.Create(adaptive ?? new AdaptiveLimitOptions { MinLimit = places, InitialLimit = places }),
        clock);

    [Fact]
    public async Task A_unary_batch_finding_every_place_taken_gets_RESOURCE_EXHAUSTED_with_the_retry_delay()
    {
        var admission = Admission(places: 2);
        using var first = await admission.EnterOrRefuseAsync(Events, CancellationToken.None);
        using var second = await admission.EnterAsync(Events, CancellationToken.None);

        var refused = await Assert.ThrowsAsync<RpcException>(() => admission.EnterOrRefuseAsync(Events, CancellationToken.None));

        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        var retry = refused.GetRpcStatus()!.GetDetail<RetryInfo>();
        Assert.Equal(TimeSpan.FromMilliseconds(750), retry.RetryDelay.ToTimeSpan());
    }

    [Fact]
    public async Task A_stream_waits_for_a_place_and_gets_it_when_a_batch_finishes()
    {
        var admission = Admission(places: 1);
        var held = await admission.EnterAsync(Events, CancellationToken.None);

        var waiting = admission.EnterAsync(Events, CancellationToken.None);
        Assert.False(waiting.IsCompleted);

        held.Dispose();
        held.Dispose(); // a place is given back once, however often its holder lets go
        using var next = await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        await Assert.ThrowsAsync<RpcException>(() => admission.EnterOrRefuseAsync(Events, CancellationToken.None));
    }

    [Fact]
    public async Task Waiting_batches_get_their_places_in_the_order_they_came_and_a_cancelled_one_gives_its_turn_away()
    {
        var admission = Admission(places: 1);
        var held = await admission.EnterAsync(Events, CancellationToken.None);
        using var gone = new CancellationTokenSource();
        var cancelled = admission.EnterAsync(Events, gone.Token);
        var second = admission.EnterAsync(Events, CancellationToken.None);
        var third = admission.EnterAsync(Events, CancellationToken.None);

        await gone.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        held.Dispose();

        var next = await second.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(third.IsCompleted);
        next.Dispose();
        (await third.WaitAsync(TimeSpan.FromSeconds(10))).Dispose();
    }

    [Fact]
    public async Task When_batches_start_taking_longer_the_server_admits_fewer_at_once_and_more_again_when_they_are_fast()
    {
        var admission = Admission(places: 16, new AdaptiveLimitOptions { MinLimit = 2, InitialLimit = 8, Smoothing = 1.0 });
        var fastLimit = await RunBatchesAsync(admission, TimeSpan.FromMilliseconds(50), rounds: 20);
        Assert.Equal(16, fastLimit);

        // Each event now takes four times its unloaded time: work is queuing inside the server.
        var slowLimit = await RunBatchesAsync(admission, TimeSpan.FromMilliseconds(200), rounds: 5);
        Assert.InRange(slowLimit, 2, 8);

        var recovered = await RunBatchesAsync(admission, TimeSpan.FromMilliseconds(50), rounds: 20);
        Assert.Equal(16, recovered);
    }

    /// <summary>Fills every place with batches that each take <paramref name="latency"/>, <paramref name="rounds"/> times; the limit after.</summary>
    private async Task<int> RunBatchesAsync(IngestAdmission admission, TimeSpan latency, int rounds)
    {
        for (var round = 0; round < rounds; round++)
        {
            var places = new List<IDisposable>();
            for (var i = 0; i < admission.Limit; i++)
            {
                places.Add(await admission.EnterOrRefuseAsync(Events, CancellationToken.None));
            }

            clock.Advance(latency);
            places.ForEach(p => p.Dispose());
        }

        return admission.Limit;
    }
}
