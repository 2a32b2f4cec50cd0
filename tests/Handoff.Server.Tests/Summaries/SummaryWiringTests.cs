using Handoff.Domain.Summary;
using Handoff.Grains;
using Handoff.Grains.Contacts;
using Handoff.Server.Hosting;
using Handoff.Server.Summaries;
using Handoff.Server.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static Handoff.Server.Tests.Summaries.SummaryTestData;

namespace Handoff.Server.Tests.Summaries;

/// <summary>Which writer the host ends up with, from configuration alone.</summary>
public sealed class SummaryWiringTests
{
    private const string LanguageModel = LanguageModelSummaryOptions.Section;

    /// <summary>The host's order: summaries first, then the grain services, whose TryAdd only fills the gap.</summary>
    private static ServiceProvider Services(params (string Key, string? Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, s.Value)))
            .Build();
        var services = new ServiceCollection();
        services.AddLogging();
        // No silo here: these tests stop short of handing a summary to a contact.
        services.AddSingleton<IGrainFactory>(_ => null!);
        services.AddHandoffSummaries(configuration);
        services.AddHandoffGrainServices(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
    }

    [Fact]
    public async Task Disabled_leaves_the_deterministic_writer_alone_and_asks_no_model()
    {
        await using var provider = Services(($"{LanguageModel}:Enabled", "false"), ($"{LanguageModel}:Endpoint", "http://127.0.0.1:9/v1"));

        var writer = provider.GetRequiredService<ISummaryWriter>();

        Assert.IsType<DeterministicSummaryWriter>(writer);
        Assert.IsType<NoModelSummaries>(provider.GetRequiredService<IModelSummaryRequests>());
        Assert.Null(provider.GetService<LanguageModelSummaryWriter>());
        Assert.Equal(Deterministic(Brandon()), await writer.WriteAsync(BrandonFacts(), CancellationToken.None));
    }

    [Fact]
    public void Without_any_summary_settings_the_deterministic_writer_applies_and_nothing_is_validated()
    {
        using var provider = Services();

        Assert.IsType<DeterministicSummaryWriter>(provider.GetRequiredService<ISummaryWriter>());
        provider.GetService<IStartupValidator>()?.Validate();
    }

    [Fact]
    public void The_deterministic_writer_is_built_with_the_summary_options()
    {
        using var provider = Services(("Handoff:Summary:HighlyEngagedMinScore", "90"));

        var summary = provider.GetRequiredService<DeterministicSummaryWriter>().Write(Brandon());

        Assert.Contains("Brandon is an engaged SQL", summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enabled_sends_cards_to_the_background_service_and_keeps_the_deterministic_writer_for_the_contact()
    {
        await using var endpoint = await FakeChatEndpoint.StartAsync(FakeChatEndpoint.Answering(GoodAnswer));
        await using var provider = ModelServices(endpoint.BaseUrl, "sk-wired", ($"{LanguageModel}:Timeout", "00:00:30"));
        provider.GetRequiredService<IStartupValidator>().Validate();

        Assert.IsType<DeterministicSummaryWriter>(provider.GetRequiredService<ISummaryWriter>());
        Assert.Same(provider.GetRequiredService<ModelSummaryService>(), provider.GetRequiredService<IModelSummaryRequests>());
        Assert.Equal(GoodAnswer, await provider.GetRequiredService<LanguageModelSummaryWriter>().WriteAsync(BrandonFacts(), CancellationToken.None));
        Assert.Equal("Bearer sk-wired", Assert.Single(endpoint.Requests).Authorization);
    }

    [Fact]
    public void Enabled_without_endpoint_or_model_fails_validation_naming_both_settings()
    {
        using var provider = Services(($"{LanguageModel}:Enabled", "true"));

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Handoff:Summary:LanguageModel:Endpoint must be set", error.Message, StringComparison.Ordinal);
        Assert.Contains("Handoff:Summary:LanguageModel:Model must be set", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Endpoint", "localhost:11434/v1", "Endpoint must be an absolute http or https URL")]
    [InlineData("Timeout", "00:00:00", "Timeout must be positive")]
    [InlineData("MaxTokens", "0", "MaxTokens must be positive")]
    [InlineData("Temperature", "3", "Temperature must be between 0 and 2")]
    [InlineData("MaxConcurrentCalls", "0", "MaxConcurrentCalls must be positive")]
    [InlineData("QueueCapacity", "0", "QueueCapacity must be positive")]
    [InlineData("BreakerFailureRatio", "1.5", "BreakerFailureRatio must be above 0 and at most 1")]
    [InlineData("BreakerMinimumThroughput", "1", "BreakerMinimumThroughput must be at least 2")]
    [InlineData("BreakerBreakDuration", "00:00:00.1", "BreakerBreakDuration must be at least")]
    public void Enabled_with_a_bad_setting_fails_validation_naming_it(string setting, string value, string message)
    {
        var settings = new Dictionary<string, string?>
        {
            [$"{LanguageModel}:Enabled"] = "true",
            [$"{LanguageModel}:Endpoint"] = "http://localhost:11434/v1",
            [$"{LanguageModel}:Model"] = "llama3.1:8b",
            [$"{LanguageModel}:{setting}"] = value,
        };
        using var provider = Services([.. settings.Select(s => (s.Key, s.Value))]);

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains($"{LanguageModel}:{message}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_host_asks_the_language_model_in_the_background_when_enabled_and_never_otherwise()
    {
        await using (var enabled = HandoffServer.Build(HostArgs(
            $"--{LanguageModel}:Enabled=true", $"--{LanguageModel}:Endpoint=http://127.0.0.1:9/v1", $"--{LanguageModel}:Model=m")))
        {
            Assert.IsType<ModelSummaryService>(enabled.Services.GetRequiredService<IModelSummaryRequests>());
            Assert.IsType<DeterministicSummaryWriter>(enabled.Services.GetRequiredService<ISummaryWriter>());
        }

        await using var disabled = HandoffServer.Build(HostArgs());
        Assert.IsType<NoModelSummaries>(disabled.Services.GetRequiredService<IModelSummaryRequests>());
    }

    [Fact]
    public async Task The_host_refuses_to_start_when_enabled_without_an_endpoint()
    {
        await using var app = HandoffServer.Build(HostArgs($"--{LanguageModel}:Enabled=true", $"--{LanguageModel}:Model=m"));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("Handoff:Summary:LanguageModel:Endpoint must be set", error.Message, StringComparison.Ordinal);
    }

    private static string[] HostArgs(params string[] extra) => ServerHost.ThrowawayArgs(null, extra);
}
