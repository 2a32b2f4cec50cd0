using Handoff.Domain.Model;
using Handoff.Grains.Contacts;
using Handoff.Grains.Handoffs;
using Handoff.Grains.Journal;
using Handoff.Grains.Tests.Escalation;
using Microsoft.Extensions.DependencyInjection;

namespace Handoff.Grains.Tests.Support;

/// <summary>
/// Ingest as production runs it (the ingest pipeline, src/Handoff.Server/Ingest/IngestPipeline.cs): the events are
/// appended to the silo's event journal, then the contact applies the ones that are its own through
/// <see cref="IContactGrain.ApplyJournaled"/>. The contact delivers what a change owes other grains after it returns,
/// so the test then waits until those effects have landed.
/// </summary>
public static class JournaledIngest
{
    /// <summary>Enough for every handoff a test tenant holds.</summary>
    private const int IndexPageSize = 10_000;

    /// <summary>
    /// Journals <paramref name="events"/> for <paramref name="contact"/> and applies them; accepted are the events the
    /// journal took now, duplicates those it already held (a replay, an id used twice).
    /// </summary>
    public static async Task<IngestOutcome> IngestAsync(this HandoffTestCluster cluster, IContactGrain contact, IReadOnlyList<EngagementEvent> events)
    {
        var (tenantId, contactId) = GrainKeys.Parse(contact.GetPrimaryKeyString());
        var journal = cluster.SiloServices.GetRequiredService<IEventJournal>();
        var appendedAt = JournalClock.Now(cluster.Clock);
        var holders = await journal.AppendAsync(tenantId, events.Select(e => new JournalEntry(contactId, e)).ToList(), appendedAt);
        var mine = new List<EngagementEvent>(events.Count);
        for (var i = 0; i < events.Count; i++)
        {
            if (JournalAnswers.IsTheContacts(holders[i], contactId))
            {
                mine.Add(JournalAnswers.AsJournaled(holders[i], events[i], appendedAt));
            }
        }

        if (mine.Count > 0)
        {
            await contact.ApplyJournaled(mine);
        }

        await EffectsDeliveredAsync(cluster, contact, tenantId);
        var accepted = holders.Count(h => h is null);
        return new IngestOutcome(accepted, events.Count - accepted);
    }

    /// <summary>
    /// Until the tenant's index lists the contact's active card as the contact shows it, with an escalation time while
    /// the card awaits escalation: that is the last effect of raising, updating and reassigning a card, which the
    /// contact delivers in order.
    /// </summary>
    private static Task EffectsDeliveredAsync(HandoffTestCluster cluster, IContactGrain contact, string tenantId) =>
        Wait.UntilAsync(async () =>
        {
            ContactSnapshot snapshot;
            try
            {
                snapshot = await contact.Get();
            }
            catch (ContactNotFoundException)
            {
                // None of the events was the contact's: nothing was applied.
                return true;
            }

            if (snapshot.Card is not { } card || !card.ToDomain().IsActive)
            {
                return true;
            }

            var awaitsEscalation = card.ToDomain().AwaitsEscalation;
            return (await cluster.Grains.HandoffIndex(tenantId).List(OwnerFilter.All, "", 0, IndexPageSize)).Handoffs
                .Any(h => h.ContactId == snapshot.ContactId && h.CardId == card.CardId && h.CardVersion == card.Version && h.OwnerUserId == snapshot.OwnerUserId
                    && h.EscalatesAt is not null == awaitsEscalation);
        }, $"the effects of ingest on contact {contact.GetPrimaryKeyString()}");

}
