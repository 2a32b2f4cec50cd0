using Orleans.Storage;

namespace Handoff.Storage;

/// <summary>Grain storage on a SQLite file whose writes take their turn at the file's <see cref="SqliteWriter"/>.</summary>
public sealed class OneWriterGrainStorage(IGrainStorage store, SqliteWriter writer) : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        store.ReadStateAsync(stateName, grainId, grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        writer.WriteAsync(() => store.WriteStateAsync(stateName, grainId, grainState));

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        writer.WriteAsync(() => store.ClearStateAsync(stateName, grainId, grainState));
}
