using Orleans.Storage;

namespace Handoff.Storage;

/// <summary>
/// Grain storage on a SQLite file whose writes take their turn at the file's <see cref="SqliteWriter"/>. It is served
/// behind <see cref="StateTakenAtWriteGrainStorage"/>: a state is serialized before its turn, on the caller's thread,
/// since the turn is the file's one lane and serializing a contact's full window or an index part need not hold it.
/// </summary>
public sealed class OneWriterGrainStorage(IGrainStorage store, SqliteWriter writer) : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        store.ReadStateAsync(stateName, grainId, grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        writer.WriteAsync(() => store.WriteStateAsync(stateName, grainId, grainState));

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        writer.WriteAsync(() => store.ClearStateAsync(stateName, grainId, grainState));
}
