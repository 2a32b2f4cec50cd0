using Handoff.Server.Hosting;

try
{
    var app = HandoffServer.Build(args);
    await app.RunAsync();
    return 0;
}
catch (HandoffStartupException e)
{
    // A configuration the host cannot start with: the message names the setting and the reason; no stack trace.
    await Console.Error.WriteLineAsync($"Handoff cannot start. {e.Message}");
    return 1;
}
catch (Exception e) when (StartupSettings.Failures(e) is { Count: > 0 } failures)
{
    // Settings out of their ranges (docs/configuration.md): each failure names the setting; no stack trace.
    await Console.Error.WriteLineAsync($"Handoff cannot start. {string.Join(" ", failures)}");
    return 1;
}
