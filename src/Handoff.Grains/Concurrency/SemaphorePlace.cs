namespace Handoff.Grains.Concurrency;

/// <summary>A place taken in a <see cref="SemaphoreSlim"/>, given back once however often it is disposed.</summary>
public sealed class SemaphorePlace(SemaphoreSlim places) : IDisposable
{
    private int released;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref released, 1) == 0)
        {
            places.Release();
        }
    }
}
