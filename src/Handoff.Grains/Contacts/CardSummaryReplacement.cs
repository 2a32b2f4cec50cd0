using Handoff.Domain.Summary;
using Handoff.Grains.Notifications;

namespace Handoff.Grains.Contacts;

/// <summary>
/// A language model's summary arriving for a card, after the card was raised or updated with the deterministic one:
/// it replaces the text only on the same card at the same version, and tells the inbox and the index as a new reason does.
/// </summary>
internal sealed class CardSummaryReplacement(ContactModel model)
{
    private ContactState State => model.State;

    /// <returns>Whether the summary went on the card.</returns>
    public bool Replace(string cardId, int cardVersion, string summary, SummaryWriterKind writer, DateTimeOffset writtenAt, DateTimeOffset now)
    {
        if (State.Card?.ToDomain() is not { } current || !current.AcceptsSummaryFor(cardId, cardVersion))
        {
            return false;
        }

        var card = current.WithReplacedSummary(summary, writer, writtenAt, now).ToStored();
        State.Card = card;
        model.AddHistory(HistoryKind.SummaryReplaced, ContactModel.SystemActor, now, $"Summary rewritten by the {Describe(writer)}, checked against the card's facts.");
        State.PendingEffects.Add(new DeliverNotification(State.CardInbox ?? InboxAddress.ForOwner(State.OwnerUserId), model.Notices.Notice(State, card, State.CardDeliveryId)));
        State.PendingEffects.Add(new IndexActiveHandoff(model.Notices.IndexEntry(State, card)));
        return true;
    }

    private static string Describe(SummaryWriterKind writer) => writer switch
    {
        SummaryWriterKind.LanguageModel => "language model",
        SummaryWriterKind.Deterministic => "deterministic writer",
        _ => "another writer",
    };
}
