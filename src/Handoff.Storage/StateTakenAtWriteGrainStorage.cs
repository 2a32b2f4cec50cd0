using Handoff.Grains;
using Orleans.Storage;

namespace Handoff.Storage;

/// <summary>
/// Serializes a state when its write is called, on the caller's turn, in the format <see cref="BinaryStateSerializer"/>
/// owns, and hands the provider it decorates those bytes to write when it gets to it. A provider left to itself may
/// serialize later (the ADO.NET one does so once it holds a connection), while the grain has gone on changing the
/// state; with this, the grain need not copy its state for every write.
/// </summary>
public sealed class StateTakenAtWriteGrainStorage(IGrainStorage store, BinaryStateSerializer stateFormat) : IGrainStorage, IStateTakenAtWrite
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        store.ReadStateAsync(stateName, grainId, grainState);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var serialized = new GrainState<SerializedState>(stateFormat.Prepare(grainState.State), grainState.ETag)
        {
            RecordExists = grainState.RecordExists,
        };
        await store.WriteStateAsync(stateName, grainId, serialized);
        grainState.ETag = serialized.ETag;
        grainState.RecordExists = serialized.RecordExists;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        store.ClearStateAsync(stateName, grainId, grainState);
}
