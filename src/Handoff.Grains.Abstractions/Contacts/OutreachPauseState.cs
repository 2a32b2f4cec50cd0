namespace Handoff.Grains.Contacts;

[GenerateSerializer, Immutable, Alias("handoff.OutreachPauseState")]
public sealed record OutreachPauseState(
    [property: Id(0)] string PausedByUserId,
    [property: Id(1)] DateTimeOffset PausedAt,
    [property: Id(2)] string Reason);
