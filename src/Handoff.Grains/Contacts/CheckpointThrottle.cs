using Handoff.Grains.Concurrency;
using Microsoft.Extensions.Options;

namespace Handoff.Grains.Contacts;

/// <summary>
/// How many contact checkpoints of this silo may be written at once (<see cref="ContactOptions.MaxConcurrentCheckpoints"/>).
/// A checkpoint that finds no place is tried again later instead of waiting: nothing depends on it (the journal holds
/// the events), and a burst of them (every contact of a large import coming due together) must not crowd out the
/// writes that do matter, nor block the grains.
/// </summary>
public sealed class CheckpointThrottle(IOptions<ContactOptions> options) : IDisposable
{
    private readonly SemaphoreSlim places = new(options.Value.MaxConcurrentCheckpoints, options.Value.MaxConcurrentCheckpoints);

    /// <summary>A place to write a checkpoint in, or null when all are taken.</summary>
    public IDisposable? TryEnter() => places.Wait(0) ? new SemaphorePlace(places) : null;

    public void Dispose() => places.Dispose();
}
