using Orleans.Serialization;
using Orleans.Storage;

namespace Handoff.Storage;

/// <summary>
/// Grain storage on a SQLite file whose writes take their turn at the file's <see cref="SqliteWriter"/>. The state is
/// serialized before the turn, on the caller's thread: the turn is the file's one lane, and a contact's full window or
/// an index part takes longer to serialize than its row takes to write.
/// </summary>
public sealed class OneWriterGrainStorage(IGrainStorage store, SqliteWriter writer, Serializer serializer) : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        store.ReadStateAsync(stateName, grainId, grainState);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var serialized = new GrainState<SerializedState>(new SerializedState(serializer.SerializeToArray(grainState.State)), grainState.ETag)
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

/// <summary>A state already in the stored format (<see cref="BinaryStateSerializer"/> writes its bytes as they are).</summary>
internal sealed record SerializedState(byte[] Bytes);
