using Orleans.Serialization;
using Orleans.Storage;

namespace Handoff.Storage;

/// <summary>
/// Grain state in the Orleans binary format (it honours [Id]/[Alias], so stored state survives renames), written
/// through one of the serializer's pooled buffers and copied once into an array of its exact size. Orleans' own
/// <see cref="OrleansGrainStorageSerializer"/> writes the same bytes into a new buffer that doubles as it grows: for a
/// contact with a full window that was the largest allocation of a checkpoint, several times the state's size.
/// </summary>
public sealed class BinaryStateSerializer(Serializer serializer) : IGrainStorageSerializer
{
    /// <summary>
    /// The state in its stored form now, for a provider that writes it later: <see cref="Serialize{T}"/> passes it
    /// through as it is.
    /// </summary>
    public SerializedState Prepare<T>(T? state) => new(Serialize(state));

    public BinaryData Serialize<T>(T? input) =>
        input is SerializedState prepared ? prepared.Data : new(serializer.SerializeToArray(input));

    public T? Deserialize<T>(BinaryData input) => serializer.Deserialize<T>(input.ToMemory());
}

/// <summary>A state already in the stored format, from <see cref="BinaryStateSerializer.Prepare{T}"/>.</summary>
public sealed record SerializedState(BinaryData Data);
