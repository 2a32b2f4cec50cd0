using Handoff.Grains.Journal;
using Handoff.Server.Hosting;
using Handoff.Server.Tests.Support;
using Handoff.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Handoff.Server.Tests.Storage;

/// <summary>
/// A store plugged in through <see cref="HandoffServer.Build"/> (the benchmark's in-memory baseline) replaces the
/// configured one: the host journals there, opens no SQLite file, and its health does not depend on one.
/// </summary>
public sealed class PluggedStoreTests
{
    [Fact]
    public async Task A_host_given_the_in_memory_store_stores_there_and_is_healthy_without_a_SQLite_file()
    {
        var sqlitePath = ServerHost.NewDatabasePath();
        await using var app = HandoffServer.Build(ServerHost.ThrowawayArgs(null, $"--Handoff:Server:Storage:SqlitePath={sqlitePath}"),
            configureStorage: silo => silo.AddHandoffMemoryStorage());
        await app.StartAsync();
        try
        {
            Assert.IsType<MemoryEventJournal>(app.Services.GetRequiredService<IEventJournal>());
            var health = await app.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
            Assert.Equal(HealthStatus.Healthy, health.Status);
            Assert.False(File.Exists(sqlitePath), $"{sqlitePath} was created");
        }
        finally
        {
            await app.StopAsync();
        }
    }
}
