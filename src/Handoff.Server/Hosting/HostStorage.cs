using System.Net;
using Handoff.Storage;
using Orleans.Configuration;

namespace Handoff.Server.Hosting;

/// <summary>
/// The store the host was built with: the one Handoff:Server:Storage configures, or none the host knows when the caller
/// of <see cref="HandoffServer.Build"/> plugged in a store of its own (the benchmark's in-memory baseline).
/// </summary>
public sealed record HostStore(StorageOptions? Configured);

/// <summary>The host's store and, with it, its clustering, from Handoff:Server:Storage and Handoff:Server:Silo.</summary>
public static class HostStorage
{
    /// <summary>
    /// The host's storage and, with it, its clustering. A store plugged in by <paramref name="pluggedStore"/>: that
    /// store and a single silo on localhost. Otherwise as Handoff:Server:Storage:Provider says. SQLite: grain state and
    /// reminders in one file and a single silo on localhost. PostgreSQL: grain state, membership and reminders in one
    /// database, checked (or given its schema) before the silo starts, and a silo that other silos and clients find
    /// through the membership table at its advertised address. A store that cannot be used stops the start-up with a
    /// <see cref="HandoffStartupException"/>.
    /// </summary>
    public static ISiloBuilder UseHandoffStorage(this ISiloBuilder silo, HandoffServerOptions options, Action<ISiloBuilder>? pluggedStore)
    {
        try
        {
            if (pluggedStore is not null)
            {
                UseLocalhostClustering(silo, options.Silo);
                pluggedStore(silo);
                return silo;
            }

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
                UseLocalhostClustering(silo, endpoints);
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

            default:
                throw new HandoffStartupException($"Handoff:Server:Storage:Provider: '{storage.Provider}' is not a store (Sqlite or PostgreSql).");
        }
    }

    private static void UseLocalhostClustering(ISiloBuilder silo, SiloOptions endpoints) =>
        silo.UseLocalhostClustering(endpoints.SiloPort, endpoints.GatewayPort, serviceId: endpoints.ServiceId, clusterId: endpoints.ClusterId);

    private static IPAddress AdvertisedAddress(SiloOptions silo) =>
        IPAddress.TryParse(silo.AdvertisedIPAddress, out var address)
            ? address
            : throw new HandoffStartupException($"Handoff:Server:Silo:AdvertisedIPAddress: '{silo.AdvertisedIPAddress}' is not an IP address.");
}
