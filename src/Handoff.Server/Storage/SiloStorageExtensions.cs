using Handoff.Grains;
using Orleans.Serialization;
using Orleans.Configuration;
using Orleans.Storage;

namespace Handoff.Server.Storage;

public static class SiloStorageExtensions
{
    private const string SqliteSchemaFile = "Schema/sqlite/handoff-sqlite.sql";

    /// <summary>
    /// Grain storage on a SQLite file, created with the project's schema if new. Shared by the host and the
    /// grain tests, so both store exactly the same way.
    /// </summary>
    public static ISiloBuilder AddHandoffSqliteStorage(this ISiloBuilder silo, string sqlitePath)
    {
        SqliteDatabase.EnsureCreated(sqlitePath, File.ReadAllText(Path.Combine(AppContext.BaseDirectory, SqliteSchemaFile)));
        silo.AddAdoNetGrainStorage(StorageNames.Handoff, o =>
        {
            o.Invariant = SqliteDatabase.Invariant;
            o.ConnectionString = SqliteDatabase.ConnectionString(sqlitePath);
        });
        // The Orleans binary serializer honours [Id]/[Alias], so stored state survives renames; the default JSON one
        // writes CLR type names and does not.
        silo.Services.AddOptions<AdoNetGrainStorageOptions>(StorageNames.Handoff)
            .Configure<Serializer>((o, serializer) => o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer));
        return silo;
    }
}
