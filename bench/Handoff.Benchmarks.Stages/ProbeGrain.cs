using Handoff.Domain.Model;

namespace Handoff.Benchmarks.Stages;

/// <summary>
/// A grain that takes a contact's events of a batch and does nothing with them: what the contact grain's call costs in
/// Orleans' messaging and scheduling alone, called as the ingest pipeline calls a contact.
/// </summary>
[Alias("handoff.stages.probe")]
public interface IProbeGrain : IGrainWithStringKey
{
    [Alias("Take")]
    Task Take([Immutable] IReadOnlyList<EngagementEvent> events);
}

public sealed class ProbeGrain : Grain, IProbeGrain
{
    public Task Take(IReadOnlyList<EngagementEvent> events) => Task.CompletedTask;
}
