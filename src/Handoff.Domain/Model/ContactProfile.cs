namespace Handoff.Domain.Model;

/// <summary>Who the contact is and where they stand in the pipeline.</summary>
public sealed record ContactProfile(
    string ContactId,
    string DisplayName,
    string OwnerUserId,
    LifecycleStage Stage,
    PipelinePhase Phase)
{
    public bool IsAssigned => OwnerUserId.Length > 0;
}
