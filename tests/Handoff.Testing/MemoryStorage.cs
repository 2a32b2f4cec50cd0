using Handoff.Grains;
using Handoff.Grains.Journal;
using Handoff.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;

namespace Handoff.Testing;

/// <summary>
/// The in-memory store: grain state, reminders and the event journal in this process only, lost when it stops. The
/// benchmark's baseline for "storage costs nothing", plugged into the real host through HandoffServer.Build.
/// </summary>
public static class MemoryStorage
{
    public static ISiloBuilder AddHandoffMemoryStorage(this ISiloBuilder silo)
    {
        silo.UseInMemoryReminderService();
        silo.Services.AddSingleton<IEventJournal, MemoryEventJournal>();
        silo.Services.AddKeyedSingleton<IGrainStorage>(StorageNames.Handoff, (services, _) =>
            new ProcessMemoryGrainStorage(new BinaryStateSerializer(services.GetRequiredService<Serializer>())));
        return silo;
    }
}
