namespace Handoff.Server.Tests.Observability;

/// <summary>
/// The observability tests each start and stop hosts of their own: one at a time, and after the other collections
/// (which measure the process's memory and time their streams), so that neither disturbs the other.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ObservabilityCollection
{
    public const string Name = "observability";
}
