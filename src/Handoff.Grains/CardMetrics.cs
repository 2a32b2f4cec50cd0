using System.Diagnostics.Metrics;
using Handoff.Grains.Contacts;

namespace Handoff.Grains;

/// <summary>
/// Card transitions as metrics, on the "Handoff" meter: cards raised, cards resolved, and the change in active cards.
/// Recorded by the contact grain once the transition is stored, on the silo where it happened.
/// </summary>
public sealed class CardMetrics : IDisposable
{
    /// <summary>The meter of every Handoff instrument (the host's ingest instruments too).</summary>
    public const string MeterName = "Handoff";

    private readonly Meter? ownMeter;
    private readonly Counter<long> raised;
    private readonly Counter<long> resolved;
    private readonly UpDownCounter<long> active;

    /// <param name="meters">The host's meter factory; without one (a bare service collection) the meter is this object's own.</param>
    public CardMetrics(IMeterFactory? meters)
    {
        var meter = meters?.Create(MeterName) ?? (ownMeter = new Meter(MeterName));
        raised = meter.CreateCounter<long>("handoff.cards.raised", "{card}", "SI Human Handoff cards raised.");
        resolved = meter.CreateCounter<long>("handoff.cards.resolved", "{card}", "Cards resolved (Resume SI Automation).");
        active = meter.CreateUpDownCounter<long>("handoff.cards.active", "{card}",
            "Cards raised minus cards resolved on this silo since it started; summed over the silos of a cluster it is the change in active cards.");
    }

    /// <summary>Records what changed between the card before a stored change and the card after it.</summary>
    internal void Transition(CardState? before, CardState? after)
    {
        var wasActive = before?.ToDomain().IsActive == true;
        var isActive = after?.ToDomain().IsActive == true;
        var sameCard = before is not null && after is not null && before.CardId == after.CardId;
        if (wasActive && !(isActive && sameCard))
        {
            resolved.Add(1);
            active.Add(-1);
        }

        if (isActive && !(wasActive && sameCard))
        {
            raised.Add(1);
            active.Add(1);
        }
    }

    public void Dispose() => ownMeter?.Dispose();
}
