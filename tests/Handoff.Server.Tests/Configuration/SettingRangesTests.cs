using Handoff.Server.Hosting;
using Handoff.Server.Tests.Support;
using Microsoft.Extensions.Options;

namespace Handoff.Server.Tests.Configuration;

/// <summary>
/// Every options class is checked when the real host starts: settings out of their ranges (docs/configuration.md) stop
/// the start-up with one error naming each of them by its full path, whichever section and project it belongs to.
/// </summary>
public sealed class SettingRangesTests
{
    [Fact]
    public async Task Settings_out_of_range_in_several_sections_stop_the_start_up_naming_every_one()
    {
        string[] bad =
        [
            "Handoff:Triggers:BuyingSignalsMinScore=101",
            "Handoff:Contacts:MaxPendingMessages=0",
            "Handoff:Inbox:SubscriptionLifetime=00:00:00",
            "Handoff:Cards:EscalationSla=00:00:00",
            "Handoff:Scoring:MaxRecentEvents=0",
            "Handoff:Recovery:MaxConcurrentWakes=0",
            "Handoff:Sentiment:NegationScope=11",
            "Handoff:Auth:ClockSkew=00:10:00",
            "Handoff:HandoffIndex:Parts=0",
        ];
        await using var app = HandoffServer.Build(ServerHost.ThrowawayArgs(null, [.. bad.Select(s => "--" + s)]));

        var error = await Assert.ThrowsAnyAsync<Exception>(() => app.StartAsync());

        var failures = StartupSettings.Failures(error);
        Assert.True(failures.Count == bad.Length, $"Expected {bad.Length} failures, got: {string.Join(" | ", failures)} ({error})");
        foreach (var setting in bad.Select(s => s[..s.IndexOf('=', StringComparison.Ordinal)]))
        {
            Assert.Contains(failures, f => f.StartsWith(setting + " must be between ", StringComparison.Ordinal));
        }

        Assert.Contains("Handoff:Triggers:BuyingSignalsMinScore must be between 0 and 100; it is 101.", failures);
    }

    [Fact]
    public async Task Settings_each_in_range_but_out_of_order_stop_the_start_up_naming_both()
    {
        await using var app = HandoffServer.Build(ServerHost.ThrowawayArgs(null,
            "--Handoff:Summary:EngagedMinScore=80", "--Handoff:Contacts:EffectRetryDelay=00:05:00"));

        var error = await Assert.ThrowsAnyAsync<Exception>(() => app.StartAsync());

        string[] expected =
        [
            "Handoff:Contacts:EffectRetryDelay (00:05:00) must be at most Handoff:Contacts:MaxEffectRetryDelay (00:01:00).",
            "Handoff:Summary:EngagedMinScore (80) must be at most Handoff:Summary:HighlyEngagedMinScore (70).",
        ];
        Assert.Equal(expected, StartupSettings.Failures(error).Order(StringComparer.Ordinal));
    }

    /// <summary>The caller limits, the log's stack-trace budget, the metrics exporters and the listeners are built with the host, so their settings are checked then.</summary>
    [Theory]
    [InlineData("Handoff:Ingest:MaxBatchSize=0", "Handoff:Ingest:MaxBatchSize must be between 1 and 10000; it is 0.")]
    [InlineData("Handoff:Limits:WatchesPerUser=0", "Handoff:Limits:WatchesPerUser must be between 1 and 2147483647; it is 0.")]
    [InlineData("Handoff:Api:DefaultPageSize=0", "Handoff:Api:DefaultPageSize must be between 1 and 10000; it is 0.")]
    [InlineData("Handoff:Observability:OtlpExportInterval=00:00:00",
        "Handoff:Observability:OtlpExportInterval must be between 00:00:00.1 and 01:00:00; it is 00:00:00.")]
    [InlineData("Handoff:Server:Silo:MemoryUsageLimitPercentage=150",
        "Handoff:Server:Silo:MemoryUsageLimitPercentage must be between 1 and 100; it is 150.")]
    public void A_setting_the_host_reads_as_it_is_built_stops_it_before_it_starts_naming_the_setting(string setting, string failure)
    {
        var error = Assert.Throws<OptionsValidationException>(() => HandoffServer.Build(ServerHost.ThrowawayArgs(null, "--" + setting)));

        Assert.Equal([failure], error.Failures);
    }

    [Fact]
    public async Task The_defaults_and_the_settings_at_the_ends_of_their_ranges_start()
    {
        await using var host = await ServerHost.StartAsync(null,
            "Handoff:Triggers:BuyingSignalsMinScore=100", "Handoff:Contacts:MaxPendingMessages=1", "Handoff:Auth:ClockSkew=00:05:00");

        Assert.NotNull(host.Channel);
    }
}
