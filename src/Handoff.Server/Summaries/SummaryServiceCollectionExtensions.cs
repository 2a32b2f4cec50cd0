using System.ClientModel;
using System.ClientModel.Primitives;
using Handoff.Domain.Summary;
using Handoff.Grains;
using Handoff.Grains.Contacts;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenAI;
using OpenAI.Chat;

namespace Handoff.Server.Summaries;

public static class SummaryServiceCollectionExtensions
{
    /// <summary>The OpenTelemetry source (traces and the meter) of the language model's calls.</summary>
    public const string TelemetrySource = "Handoff.Summaries";

    /// <summary>OpenAI's client insists on a key; servers that want none (Ollama, llama.cpp) ignore this one.</summary>
    private const string NoApiKey = "no-key";

    /// <summary>
    /// The card summaries beyond the deterministic writer (which <c>AddHandoffGrainServices</c> registers). With
    /// "Handoff:Summary:LanguageModel:Enabled" true: the model's <see cref="IChatClient"/> (OpenAI adapter, distributed
    /// cache by fact-sheet hash, logging, OpenTelemetry), <see cref="LanguageModelSummaryWriter"/>, and
    /// <see cref="ModelSummaryService"/> as the contacts' <see cref="IModelSummaryRequests"/>, with the settings checked
    /// at start-up. Otherwise nothing: cards keep the deterministic summary. Call it before <c>AddHandoffGrainServices</c>,
    /// whose registrations only fill the gaps (TryAdd).
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

        services.AddMetrics();
        // A process-local cache unless the host registers a shared one (Redis, SQL Server) first.
        services.AddDistributedMemoryCache();
        services.AddHttpClient(nameof(LanguageModelSummaryWriter), client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
        services.AddChatClient(OpenAiChatClient)
            .UseOpenTelemetry(sourceName: TelemetrySource)
            .UseLogging()
            .Use((inner, sp) => new FactSheetCachingChatClient(
                inner, sp.GetRequiredService<IDistributedCache>(), sp.GetRequiredService<IOptions<LanguageModelSummaryOptions>>().Value.Model));
        services.AddSingleton<LanguageModelSummaryWriter>();
        services.TryAddSingleton(sp => new SummaryGuard(sp.GetRequiredService<IOptions<SummaryOptions>>().Value));
        services.AddSingleton<ModelSummaryService>();
        services.AddSingleton<IModelSummaryRequests>(sp => sp.GetRequiredService<ModelSummaryService>());
        services.AddHostedService(sp => sp.GetRequiredService<ModelSummaryService>());
        return services;
    }

    /// <summary>
    /// OpenAI's chat client on the configured endpoint. Its own retries are off and its network timeout is the summary's:
    /// <see cref="ModelSummaryService"/>'s timeout and circuit breaker decide, and a retry would only hide a sick endpoint.
    /// The HTTP client's own 100 s timeout is off for the same reason; pooled connections are renewed every few minutes,
    /// which keeps DNS changes visible.
    /// </summary>
    private static IChatClient OpenAiChatClient(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<LanguageModelSummaryOptions>>().Value;
        var http = services.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(LanguageModelSummaryWriter));
        var client = new ChatClient(
            options.Model,
            new ApiKeyCredential(string.IsNullOrWhiteSpace(options.ApiKey) ? NoApiKey : options.ApiKey),
            new OpenAIClientOptions
            {
                Endpoint = new Uri(options.Endpoint),
                NetworkTimeout = options.Timeout,
                RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
                Transport = new HttpClientPipelineTransport(http),
            });
        return client.AsIChatClient();
    }
}
