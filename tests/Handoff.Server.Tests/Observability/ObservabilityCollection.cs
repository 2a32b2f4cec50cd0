namespace Handoff.Server.Tests.Observability;

/// <summary>
/// The observability tests each start and stop hosts of their own; one at a time, so that they do not crowd the
/// machine (or the process's memory) while the other collections run.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ObservabilityCollection
{
    public const string Name = "observability";
}
