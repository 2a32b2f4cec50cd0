using Orleans.Storage;

namespace Handoff.Grains.Storage;

/// <summary>
/// Part of a grain's state kept as numbered records of its own, beside the grain's own state, so that a change writes
/// only the parts it touched: a busy inbox holds 2,000 notifications and a delivery changes one page of them. The
/// parts go through the grain's storage provider under ids derived from the grain's. Not thread-safe: for one
/// activation, writing through one <see cref="CoalescedWrites"/>.
/// </summary>
internal sealed class StateParts<TPart>(IGrainStorage storage, string stateName, GrainId owner) where TPart : class, new()
{
    private readonly Dictionary<long, GrainState<TPart>> known = [];
    private readonly HashSet<long> changed = [];

    /// <summary>The stored part, or null when there is none.</summary>
    public async Task<TPart?> ReadAsync(long part)
    {
        var state = new GrainState<TPart>(new TPart());
        await storage.ReadStateAsync(stateName, PartId(part), state);
        known[part] = state;
        return state.RecordExists ? state.State : null;
    }

    /// <summary>The stored parts, in the order asked (null where there is none), at most <paramref name="concurrency"/> read at once.</summary>
    public async Task<TPart?[]> ReadManyAsync(IReadOnlyList<long> numbers, int concurrency)
    {
        var read = new TPart?[numbers.Count];
        for (var start = 0; start < read.Length; start += concurrency)
        {
            var count = Math.Min(concurrency, read.Length - start);
            var stored = await Task.WhenAll(Enumerable.Range(start, count).Select(i => ReadAsync(numbers[i])));
            stored.CopyTo(read, start);
        }

        return read;
    }

    public void MarkChanged(long part) => changed.Add(part);

    /// <summary>Writes every part changed since the last write, with the content <paramref name="contentOf"/> gives it now.</summary>
    public async Task WriteChangedAsync(Func<long, TPart> contentOf)
    {
        if (changed.Count == 0)
        {
            return;
        }

        var parts = changed.ToList();
        changed.Clear();
        try
        {
            await Task.WhenAll(parts.Select(part =>
            {
                var state = StateOf(part);
                state.State = contentOf(part);
                return storage.WriteStateAsync(stateName, PartId(part), state);
            }).ToList());
        }
        catch
        {
            changed.UnionWith(parts);
            throw;
        }
    }

    /// <summary>Deletes a part that is no longer needed.</summary>
    public async Task DeleteAsync(long part)
    {
        changed.Remove(part);
        if (known.Remove(part, out var state) && state.RecordExists)
        {
            await storage.ClearStateAsync(stateName, PartId(part), state);
        }
    }

    private GrainState<TPart> StateOf(long part)
    {
        if (!known.TryGetValue(part, out var state))
        {
            known[part] = state = new GrainState<TPart>(new TPart());
        }

        return state;
    }

    private GrainId PartId(long part) => PartId(owner, stateName, part);

    /// <summary>The id part <paramref name="part"/> of <paramref name="owner"/>'s <paramref name="stateName"/> is stored under.</summary>
    public static GrainId PartId(GrainId owner, string stateName, long part) => GrainId.Create($"{owner.Type}.{stateName}", $"{owner.Key}/{part}");
}
