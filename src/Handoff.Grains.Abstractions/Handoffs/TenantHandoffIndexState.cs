namespace Handoff.Grains.Handoffs;

[GenerateSerializer, Alias("handoff.TenantHandoffIndexState")]
public sealed class TenantHandoffIndexState
{
    /// <summary>Active cards by contact id.</summary>
    [Id(0)] public Dictionary<string, ActiveHandoffEntry> Active { get; set; } = [];
}
