using Handoff.Grains;
using Handoff.Grains.Journal;
using Handoff.Storage.Journal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace Handoff.Storage;

/// <summary>The Handoff stores as Orleans providers: grain state, reminders, membership and the event journal.</summary>
public static class SiloStorageExtensions
{
    /// <summary>
    /// The ADO.NET grain storage on SQLite, which <see cref="OneWriterGrainStorage"/> and <see cref="KnownRowsGrainStorage"/>
    /// serve as the Handoff store.
    /// </summary>
    private const string SqliteStateStore = "handoff-sqlite";

    /// <summary>
    /// The ADO.NET grain storage on PostgreSQL, which <see cref="StateTakenAtWriteGrainStorage"/> serves as the Handoff
    /// store. A provider's name is not part of a row's key: rows written under the Handoff name read as before.
    /// </summary>
    private const string PostgreSqlStateStore = "handoff-postgresql";

    /// <summary>
    /// Grain storage and reminders on a SQLite file, created with the project's schema if new and brought up to the
    /// current schema version otherwise, and the event journal in a file next to it (<see cref="SqliteEventJournal.PathFor"/>).
    /// Shared by the host and the grain tests, so both store exactly the same way.
    /// </summary>
    public static ISiloBuilder AddHandoffSqliteStorage(this ISiloBuilder silo, string sqlitePath)
    {
        SqliteDatabase.EnsureCreated(sqlitePath);
        var journalPath = SqliteEventJournal.PathFor(sqlitePath);
        silo.Services.AddSingleton<IEventJournal>(sp => new SqliteEventJournal(journalPath, sp.GetRequiredService<Serializer>()));
        var connectionString = SqliteDatabase.ConnectionString(sqlitePath);
        // Grain state and reminders share the file, and so its one writer (see SqliteWriter).
        silo.Services.AddSingleton<SqliteWriter>();
        silo.AddHandoffGrainStorage(SqliteStateStore, SqliteDatabase.Invariant, connectionString);
        // Read before the silo starts: from then on this process is the file's only writer and keeps the set current.
        var storedRows = KnownRowsGrainStorage.StoredRows.Read(connectionString);
        silo.Services.AddKeyedSingleton<IGrainStorage>(StorageNames.Handoff, (services, _) => new StateTakenAtWriteGrainStorage(
            new KnownRowsGrainStorage(
                new OneWriterGrainStorage(services.GetRequiredKeyedService<IGrainStorage>(SqliteStateStore), services.GetRequiredService<SqliteWriter>()),
                storedRows,
                services.GetRequiredService<IActivatorProvider>()),
            services.GetRequiredService<BinaryStateSerializer>()));
        // Orleans' own ADO.NET reminder table, running our statements (deploy/sqlite/handoff-sqlite-2-reminders.sql)
        // through the same invariant as the grain storage.
        silo.UseAdoNetReminderService(o =>
        {
            o.Invariant = SqliteDatabase.Invariant;
            o.ConnectionString = connectionString;
        });
        var reminderTable = silo.Services.Last(s => s.ServiceType == typeof(IReminderTable));
        silo.Services.Remove(reminderTable);
        silo.Services.AddSingleton<IReminderTable>(services => new OneWriterReminderTable(
            (IReminderTable)ActivatorUtilities.CreateInstance(services, reminderTable.ImplementationType!), services.GetRequiredService<SqliteWriter>()));
        return silo;
    }

    /// <summary>
    /// Grain storage, reminders and the event journal on a PostgreSQL database that has the project's schema (see
    /// <see cref="PostgreSqlDatabase.EnsureReady"/>). Shared by the host and the grain tests.
    /// </summary>
    public static ISiloBuilder AddHandoffPostgreSqlStorage(this ISiloBuilder silo, string connectionString)
    {
        silo.Services.AddSingleton<IEventJournal>(sp => new PostgreSqlEventJournal(connectionString, sp.GetRequiredService<Serializer>()));
        silo.AddHandoffGrainStorage(PostgreSqlStateStore, PostgreSqlDatabase.Invariant, connectionString);
        silo.Services.AddKeyedSingleton<IGrainStorage>(StorageNames.Handoff, (services, _) => new StateTakenAtWriteGrainStorage(
            services.GetRequiredKeyedService<IGrainStorage>(PostgreSqlStateStore), services.GetRequiredService<BinaryStateSerializer>()));
        silo.UseAdoNetReminderService(o =>
        {
            o.Invariant = PostgreSqlDatabase.Invariant;
            o.ConnectionString = connectionString;
        });
        return silo;
    }

    /// <summary>Orleans membership in the same PostgreSQL database: every silo of the cluster registers there.</summary>
    public static ISiloBuilder UseHandoffPostgreSqlClustering(this ISiloBuilder silo, string connectionString) =>
        silo.UseAdoNetClustering(o =>
        {
            o.Invariant = PostgreSqlDatabase.Invariant;
            o.ConnectionString = connectionString;
        });

    private static ISiloBuilder AddHandoffGrainStorage(this ISiloBuilder silo, string name, string invariant, string connectionString)
    {
        silo.AddAdoNetGrainStorage(name, o =>
        {
            o.Invariant = invariant;
            o.ConnectionString = connectionString;
        });
        return silo.UseHandoffStateFormat<AdoNetGrainStorageOptions>(name);
    }

    /// <summary>
    /// The Orleans binary format for the handoff grain storage (<see cref="BinaryStateSerializer"/>): it honours
    /// [Id]/[Alias], so stored state survives renames; the default JSON one writes CLR type names and does not.
    /// </summary>
    public static ISiloBuilder UseHandoffStateFormat<TOptions>(this ISiloBuilder silo, string name) where TOptions : class, IStorageProviderSerializerOptions
    {
        // One format for the process: the provider reads with it, and the Handoff store's writes prepare their bytes with it.
        silo.Services.TryAddSingleton<BinaryStateSerializer>();
        silo.Services.AddOptions<TOptions>(name)
            .Configure<BinaryStateSerializer>((o, format) => o.GrainStorageSerializer = format);
        return silo;
    }
}
