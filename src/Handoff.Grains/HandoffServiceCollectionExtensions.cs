using System.Diagnostics.Metrics;
using Handoff.Domain.Cards;
using Handoff.Domain.Scoring;
using Handoff.Domain.Summary;
using Handoff.Domain.Triggers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Handoff.Grains;

public static class HandoffServiceCollectionExtensions
{
    /// <summary>
    /// The domain services and options the grains need, bound from the "Handoff" configuration section.
    /// Used by the host and by the grain tests, so both run the same wiring.
    /// </summary>
    public static IServiceCollection AddHandoffGrainServices(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection("Handoff");
        services.Configure<ScoringOptions>(section.GetSection("Scoring"));
        services.Configure<SentimentOptions>(section.GetSection("Sentiment"));
        services.Configure<TriggerOptions>(section.GetSection("Triggers"));
        services.Configure<CardOptions>(section.GetSection("Cards"));
        services.Configure<ContactOptions>(section.GetSection("Contacts"));
        services.Configure<InboxOptions>(section.GetSection("Inbox"));
        services.Configure<HandoffIndexOptions>(section.GetSection("HandoffIndex"));
        services.Configure<SummaryOptions>(section.GetSection("Summary"));

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new SentimentAnalyzer(sp.GetRequiredService<IOptions<SentimentOptions>>().Value));
        services.AddSingleton(sp => new EngagementScorer(sp.GetRequiredService<IOptions<ScoringOptions>>().Value, sp.GetRequiredService<SentimentAnalyzer>()));
        services.AddSingleton(sp => new HandoffTriggerEvaluator(
            sp.GetRequiredService<IOptions<TriggerOptions>>().Value, sp.GetRequiredService<EngagementScorer>(), sp.GetRequiredService<SentimentAnalyzer>()));
        services.AddSingleton(sp => new CardRules(sp.GetRequiredService<IOptions<CardOptions>>().Value));
        services.TryAddSingleton(sp => new DeterministicSummaryWriter(sp.GetRequiredService<IOptions<SummaryOptions>>().Value));
        services.TryAddSingleton<ISummaryWriter>(sp => sp.GetRequiredService<DeterministicSummaryWriter>());
        services.AddSingleton<HandoffEngine>();
        services.AddSingleton<Contacts.CheckpointThrottle>();
        services.TryAddSingleton(sp => new CardMetrics(sp.GetService<IMeterFactory>()));
        return services;
    }
}
