using System.Collections.Concurrent;
using System.Globalization;
using Handoff.Grains;
using Handoff.Storage;
using Orleans.Storage;

namespace Handoff.Testing;

/// <summary>
/// Grain state in a dictionary of this process, serialized in the durable stores' format. Orleans' own memory storage
/// sends every read and write to a storage grain (a grain call and a deep copy each), which is a cost no durable store
/// here pays; the baseline for "storage costs nothing" keeps only the serialization they all pay. A write serializes
/// the state at the call, as the durable stores do (<see cref="IStateTakenAtWrite"/>).
/// </summary>
public sealed class ProcessMemoryGrainStorage(BinaryStateSerializer stateFormat) : IGrainStorage, IStateTakenAtWrite
{
    private readonly ConcurrentDictionary<(string StateName, GrainId GrainId), StoredRecord> records = new();
    private long lastETag;

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (records.TryGetValue((stateName, grainId), out var record))
        {
            grainState.State = stateFormat.Deserialize<T>(record.Data)!;
            grainState.ETag = record.ETag;
            grainState.RecordExists = true;
        }
        else
        {
            grainState.State = Activator.CreateInstance<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
        }

        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var written = new StoredRecord(stateFormat.Serialize(grainState.State), NextETag());
        Replace(stateName, grainId, grainState.ETag, written);
        grainState.ETag = written.ETag;
        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        Replace(stateName, grainId, grainState.ETag, null);
        grainState.State = Activator.CreateInstance<T>();
        grainState.ETag = null;
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }

    /// <summary>Replaces the record if it still has the ETag the caller read, as a durable store's conditional write does.</summary>
    private void Replace(string stateName, GrainId grainId, string? expectedETag, StoredRecord? replacement)
    {
        var key = (stateName, grainId);
        var current = records.GetValueOrDefault(key);
        if (current?.ETag != expectedETag)
        {
            throw new InconsistentStateException($"The stored {stateName} of {grainId} has changed since it was read.", current?.ETag, expectedETag);
        }

        var replaced = (current, replacement) switch
        {
            (null, null) => true,
            (null, { } added) => records.TryAdd(key, added),
            ({ } old, null) => records.TryRemove(new KeyValuePair<(string, GrainId), StoredRecord>(key, old)),
            ({ } old, { } next) => records.TryUpdate(key, next, old),
        };
        if (!replaced)
        {
            throw new InconsistentStateException($"The stored {stateName} of {grainId} changed during the write.", null, expectedETag);
        }
    }

    private string NextETag() => Interlocked.Increment(ref lastETag).ToString(CultureInfo.InvariantCulture);

    private sealed record StoredRecord(BinaryData Data, string ETag);
}
