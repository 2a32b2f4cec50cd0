using Microsoft.Extensions.Options;

namespace Handoff.Server.Hosting;

/// <summary>The settings a host refused to start with, as its options validation reported them.</summary>
public static class StartupSettings
{
    /// <summary>
    /// Each failure of <paramref name="error"/>: an options class found invalid when it was first used, or, at start-up,
    /// every invalid options class at once (one exception, or an AggregateException of one per class). Empty for any
    /// other error.
    /// </summary>
    public static IReadOnlyList<string> Failures(Exception error) => error switch
    {
        OptionsValidationException invalid => [.. invalid.Failures],
        AggregateException { InnerExceptions: var inner } when inner.All(e => e is OptionsValidationException) =>
            [.. inner.Cast<OptionsValidationException>().SelectMany(e => e.Failures)],
        _ => [],
    };
}
