using System.Net;
using Handoff.Grains;
using Handoff.Grains.Journal;
using Handoff.Storage;
using Handoff.Storage.Journal;
using Orleans.Configuration;

namespace Handoff.Server.Hosting;

/// <summary>The host's store and, with it, its clustering, from Handoff:Server:Storage and Handoff:Server:Silo.</summary>
public static class HostStorage
{
    /// <summary>
    /// The host's storage and, with it, its clustering, as Handoff:Server:Storage:Provider says. SQLite: grain state and
    /// reminders in one file and a single silo on localhost. PostgreSQL: grain state, membership and reminders in one
    /// database, checked (or given its schema) before the silo starts, and a silo that other silos and clients find
    /// through the membership table at its advertised address. Memory (not durable, for measurements only): grain state
    /// and reminders in the silo's memory and a single silo on localhost. A store that cannot be used stops the start-up
    /// with a <see cref="HandoffStartupException"/>.
    /// </summary>
    public static ISiloBuilder UseHandoffStorage(this ISiloBuilder silo, HandoffServerOptions options)
    {
        try
        {
            return UseConfiguredStorage(silo, options);
        }
        catch (StorageStartupException e)
        {
            throw new HandoffStartupException(e.Message, e.InnerException);
        }
    }

    private static ISiloBuilder UseConfiguredStorage(ISiloBuilder silo, HandoffServerOptions options)
    {
        var storage = options.Storage;
        var endpoints = options.Silo;
        switch (storage.Provider)
        {
            case StorageProvider.Sqlite:
                // SQLite has grain storage and reminders but no membership table: the embedded default is one silo.
                silo.UseLocalhostClustering(endpoints.SiloPort, endpoints.GatewayPort, serviceId: endpoints.ServiceId, clusterId: endpoints.ClusterId);
                return silo.AddHandoffSqliteStorage(storage.SqlitePath);

            case StorageProvider.PostgreSql:
                var connectionString = PostgreSqlDatabase.EnsureReady(storage.PostgreSqlConnectionString, storage.ApplySchema, storage.ConnectTimeout);
                silo.Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = endpoints.ClusterId;
                    o.ServiceId = endpoints.ServiceId;
                });
                silo.ConfigureEndpoints(AdvertisedAddress(endpoints), endpoints.SiloPort, endpoints.GatewayPort, endpoints.ListenOnAnyHostAddress);
                silo.UseHandoffPostgreSqlClustering(connectionString);
                return silo.AddHandoffPostgreSqlStorage(connectionString);

            case StorageProvider.Memory:
                // Not durable: grain state and reminders live in this process only. The benchmark's baseline for "no storage cost".
                silo.UseLocalhostClustering(endpoints.SiloPort, endpoints.GatewayPort, serviceId: endpoints.ServiceId, clusterId: endpoints.ClusterId);
                silo.UseInMemoryReminderService();
                silo.Services.AddSingleton<IEventJournal, MemoryEventJournal>();
                silo.AddMemoryGrainStorage(StorageNames.Handoff);
                // The same serializer as the durable stores, so that the baseline differs from them only in the store.
                return silo.UseHandoffStateFormat<MemoryGrainStorageOptions>(StorageNames.Handoff);

            default:
                throw new HandoffStartupException($"Handoff:Server:Storage:Provider: '{storage.Provider}' is not a store (Sqlite, PostgreSql or Memory).");
        }
    }

    private static IPAddress AdvertisedAddress(SiloOptions silo) =>
        IPAddress.TryParse(silo.AdvertisedIPAddress, out var address)
            ? address
            : throw new HandoffStartupException($"Handoff:Server:Silo:AdvertisedIPAddress: '{silo.AdvertisedIPAddress}' is not an IP address.");
}
