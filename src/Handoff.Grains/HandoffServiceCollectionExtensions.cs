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
    /// The domain services and options the grains need, bound from the "Handoff" configuration section and checked at start-up.
    /// Used by the host and by the grain tests, so both run the same wiring.
    /// </summary>
    public static IServiceCollection AddHandoffGrainServices(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<ScoringOptions>(configuration, "Handoff:Scoring");
        services.AddValidatedOptions<SentimentOptions>(configuration, "Handoff:Sentiment");
        services.AddValidatedOptions<TriggerOptions>(configuration, "Handoff:Triggers");
        services.AddValidatedOptions<CardOptions>(configuration, "Handoff:Cards");
        services.AddValidatedOptions<ContactOptions>(configuration, "Handoff:Contacts");
        services.AddValidatedOptions<InboxOptions>(configuration, "Handoff:Inbox");
        services.AddValidatedOptions<HandoffIndexOptions>(configuration, "Handoff:HandoffIndex");
        services.AddValidatedOptions<SummaryOptions>(configuration, "Handoff:Summary");

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new SentimentAnalyzer(sp.GetRequiredService<IOptions<SentimentOptions>>().Value));
        services.AddSingleton(sp => new EngagementScorer(sp.GetRequiredService<IOptions<ScoringOptions>>().Value, sp.GetRequiredService<SentimentAnalyzer>()));
        services.AddSingleton(sp => new HandoffTriggerEvaluator(
            sp.GetRequiredService<IOptions<TriggerOptions>>().Value, sp.GetRequiredService<EngagementScorer>(), sp.GetRequiredService<SentimentAnalyzer>()));
        services.AddSingleton(sp => new CardRules(sp.GetRequiredService<IOptions<CardOptions>>().Value));
        services.TryAddSingleton(sp => new DeterministicSummaryWriter(sp.GetRequiredService<IOptions<SummaryOptions>>().Value));
        services.TryAddSingleton<ISummaryWriter>(sp => sp.GetRequiredService<DeterministicSummaryWriter>());
        services.TryAddSingleton<Contacts.IModelSummaryRequests, Contacts.NoModelSummaries>();
        services.AddSingleton<HandoffEngine>();
        services.AddSingleton<Contacts.CheckpointThrottle>();
        services.TryAddSingleton(sp => new CardMetrics(sp.GetService<IMeterFactory>()));
        return services;
    }
}
