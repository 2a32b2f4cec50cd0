using System.Globalization;
using Google.Rpc;
using Handoff.Grains.Contacts;

namespace Handoff.Server.Errors;

/// <summary>
/// The google.rpc statuses of the contact's rule violations, built in one place so a client can branch on the same
/// ErrorInfo reasons and metadata keys whichever RPC refused it (docs/security.md lists them).
/// </summary>
public static class DomainErrors
{
    public const string StaleCardReason = "STALE_CARD";
    public const string ContactNotFoundReason = "CONTACT_NOT_FOUND";
    public const string CardNotFoundReason = "CARD_NOT_FOUND";
    public const string OutboxFullReason = "OUTBOX_FULL";

    public const string ContactIdKey = "contactId";
    public const string CardIdKey = "cardId";
    public const string CurrentCardIdKey = "currentCardId";
    public const string LimitKey = "limit";

    /// <summary>The resource name of a card in PreconditionFailure subjects.</summary>
    public static string CardSubject(string cardId) => $"cards/{cardId}";

    /// <summary>FAILED_PRECONDITION: the caller acted on a card that is not the contact's current one (a stale screen).</summary>
    public static Status StaleCard(StaleCardException stale)
    {
        ArgumentNullException.ThrowIfNull(stale);
        var violation = new PreconditionFailure.Types.Violation
        {
            Type = StaleCardReason,
            Subject = CardSubject(stale.ExpectedCardId),
            Description = stale.CurrentCardId.Length == 0
                ? "the contact has no card"
                : $"the contact's current card is {CardSubject(stale.CurrentCardId)}",
        };
        return RichStatus.Create(Code.FailedPrecondition, stale.Message,
            new PreconditionFailure { Violations = { violation } },
            RichStatus.Reason(StaleCardReason, (CardIdKey, stale.ExpectedCardId), (CurrentCardIdKey, stale.CurrentCardId)));
    }

    /// <summary>NOT_FOUND: the contact was never created (or belongs to another tenant).</summary>
    public static Status ContactNotFound(ContactNotFoundException notFound)
    {
        ArgumentNullException.ThrowIfNull(notFound);
        return RichStatus.Create(Code.NotFound, notFound.Message, RichStatus.Reason(ContactNotFoundReason, (ContactIdKey, notFound.ContactId)));
    }

    /// <summary>NOT_FOUND: the contact exists but has never had a handoff card.</summary>
    public static Status CardNotFound(string contactId) =>
        RichStatus.Create(Code.NotFound, $"Contact '{contactId}' has no handoff card.", RichStatus.Reason(CardNotFoundReason, (ContactIdKey, contactId)));

    /// <summary>RESOURCE_EXHAUSTED: the contact's outbound queue holds as many waiting messages as it may.</summary>
    public static Status OutboxFull(OutboxFullException full)
    {
        ArgumentNullException.ThrowIfNull(full);
        return RichStatus.Create(Code.ResourceExhausted, full.Message,
            RichStatus.Reason(OutboxFullReason, (LimitKey, full.Limit.ToString(CultureInfo.InvariantCulture))));
    }
}
