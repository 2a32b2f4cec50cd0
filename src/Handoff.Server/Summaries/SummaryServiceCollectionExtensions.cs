using Handoff.Domain.Summary;
using Handoff.Grains;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Handoff.Server.Summaries;

public static class SummaryServiceCollectionExtensions
{
    /// <summary>
    /// The card summary writer the host uses. With "Handoff:Summary:LanguageModel:Enabled" true, registers
    /// <see cref="ISummaryWriter"/> as a <see cref="FallbackSummaryWriter"/> over the <see cref="LanguageModelSummaryWriter"/>,
    /// and checks at start-up that Endpoint and Model are set. Otherwise registers nothing, so the deterministic writer
    /// from <c>AddHandoffGrainServices</c> applies. Call it before <c>AddHandoffGrainServices</c>, whose registration
    /// only fills the gap (TryAdd) and also provides the <see cref="DeterministicSummaryWriter"/> and <see cref="TimeProvider"/> used here.
    /// </summary>
    public static IServiceCollection AddHandoffSummaries(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(LanguageModelSummaryOptions.Section);
        if (!section.GetValue<bool>(nameof(LanguageModelSummaryOptions.Enabled)))
        {
            return services;
        }

        services.AddValidatedOptions<LanguageModelSummaryOptions>(configuration, LanguageModelSummaryOptions.Section);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LanguageModelSummaryOptions>, LanguageModelSummaryOptionsValidator>());

        // The writer lives as long as the singleton that holds it, so the handler is never recycled by the factory;
        // instead pooled connections are renewed every few minutes, which keeps DNS changes visible. The deadline
        // is FallbackSummaryWriter's (Timeout, on the TimeProvider), so HttpClient's own 100 s timeout is turned off.
        services.AddHttpClient<LanguageModelSummaryWriter>(client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);

        services.AddSingleton<ISummaryWriter>(sp => new FallbackSummaryWriter(
            sp.GetRequiredService<LanguageModelSummaryWriter>(),
            sp.GetRequiredService<DeterministicSummaryWriter>(),
            sp.GetRequiredService<IOptions<LanguageModelSummaryOptions>>().Value.Timeout,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<FallbackSummaryWriter>>()));
        return services;
    }
}
