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
    public BinaryData Serialize<T>(T? input) =>
        new(input is SerializedState serialized ? serialized.Bytes : serializer.SerializeToArray(input));

    public T? Deserialize<T>(BinaryData input) => serializer.Deserialize<T>(input.ToMemory());
}
