using Microsoft.Data.Sqlite;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace Handoff.Storage;

/// <summary>
/// Grain storage on a SQLite file that this process alone writes (one server per file, docs/storage.md), which keeps in
/// memory which states have a row: those in the file when the server started and every one written since. A state
/// without a row (a contact's first activation, most activations of a cold ingest) is then not read: the provider would
/// open a connection, compile its statement and probe the file to find nothing. A state that may have a row is read
/// as before. The set holds a hash of each row's state name and key, so a collision can only make a read go to the
/// file, never skip one that has a row.
/// </summary>
public sealed class KnownRowsGrainStorage(IGrainStorage store, KnownRowsGrainStorage.StoredRows rows, IActivatorProvider activators)
    : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (rows.SurelyAbsent(stateName, grainId))
        {
            // What the provider answers when it finds no row, its new state made by the same activator.
            grainState.State = activators.GetActivator<T>().Create();
            grainState.ETag = null;
            grainState.RecordExists = false;
            return Task.CompletedTask;
        }

        return store.ReadStateAsync(stateName, grainId, grainState);
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        rows.Remember(stateName, grainId);
        return store.WriteStateAsync(stateName, grainId, grainState);
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        rows.Remember(stateName, grainId);
        return store.ClearStateAsync(stateName, grainId, grainState);
    }

    /// <summary>The rows of the file's grain states, as hashes of their state name and key.</summary>
    public sealed class StoredRows
    {
        private readonly HashSet<int> keys;
        private readonly Lock gate = new();

        private StoredRows(HashSet<int> keys) => this.keys = keys;

        /// <summary>Every row of the file, read before the silo starts and anything writes.</summary>
        public static StoredRows Read(string connectionString)
        {
            var keys = new HashSet<int>();
            using var connection = new SqliteConnection(connectionString);
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT GrainTypeString, GrainIdExtensionString FROM OrleansStorage;";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                keys.Add(Key(reader.GetString(0), reader.GetString(1)));
            }

            return new StoredRows(keys);
        }

        /// <summary>True when the state has no row: none at start and none written since.</summary>
        public bool SurelyAbsent(string stateName, GrainId grainId)
        {
            if (Key(stateName, grainId) is not { } key)
            {
                return false;
            }

            lock (gate)
            {
                return !keys.Contains(key);
            }
        }

        /// <summary>Called before a write: a read that comes after it goes to the file, whether or not the write lands.</summary>
        public void Remember(string stateName, GrainId grainId)
        {
            if (Key(stateName, grainId) is { } key)
            {
                lock (gate)
                {
                    keys.Add(key);
                }
            }
        }

        /// <summary>
        /// The row's identity as the ADO.NET provider stores it for a grain with a plain string key: the state name in
        /// GrainTypeString, the key in GrainIdExtensionString. Null for what it stores otherwise (a generic state name,
        /// a key that reads as a GUID or an integer): those are always read.
        /// </summary>
        private static int? Key(string stateName, GrainId grainId)
        {
            if (stateName.Contains('`', StringComparison.Ordinal)
                || grainId.TryGetGuidKey(out _, out _)
                || grainId.TryGetIntegerKey(out _, out _))
            {
                return null;
            }

            return Key(stateName, grainId.Key.ToString());
        }

        private static int Key(string stateName, string key) => HashCode.Combine(stateName, key);
    }
}
