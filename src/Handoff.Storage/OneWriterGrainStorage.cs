using Orleans.Storage;

namespace Handoff.Storage;

/// <summary>
/// Grain storage on a SQLite file whose writes take their turn at the file's <see cref="SqliteWriter"/>. The state is
/// serialized before the turn, on the caller's thread, in the format <see cref="BinaryStateSerializer"/> owns: the turn
/// is the file's one lane, and serializing a contact's full window or an index part need not hold it.
/// </summary>
public sealed class OneWriterGrainStorage(IGrainStorage store, SqliteWriter writer, BinaryStateSerializer stateFormat) : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        store.ReadStateAsync(stateName, grainId, grainState);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var serialized = new GrainState<SerializedState>(stateFormat.Prepare(grainState.State), grainState.ETag)
        {
            RecordExists = grainState.RecordExists,
        };
        await writer.WriteAsync(() => store.WriteStateAsync(stateName, grainId, serialized));
        grainState.ETag = serialized.ETag;
        grainState.RecordExists = serialized.RecordExists;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        writer.WriteAsync(() => store.ClearStateAsync(stateName, grainId, grainState));
}
