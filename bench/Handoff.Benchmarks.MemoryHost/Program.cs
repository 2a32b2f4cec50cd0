using Handoff.Server.Hosting;
using Handoff.Testing;

// The host exactly as src/Handoff.Server/Program.cs runs it, but storing in this process's memory: the benchmark's
// baseline for "storage costs nothing". Everything is lost when the process stops.
try
{
    var app = HandoffServer.Build(args, configureStorage: silo => silo.AddHandoffMemoryStorage());
    await app.RunAsync();
    return 0;
}
catch (HandoffStartupException e)
{
    await Console.Error.WriteLineAsync($"Handoff cannot start. {e.Message}");
    return 1;
}
