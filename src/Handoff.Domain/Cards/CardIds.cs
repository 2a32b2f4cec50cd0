using System.Security.Cryptography;
using System.Text;

namespace Handoff.Domain.Cards;

/// <summary>
/// A card's id follows from whose card it is and how many the contact has raised: the contact's n-th card has the same
/// id however often its raising is derived, so a replay of the journal after a crash raises the card that was already
/// announced, and the notifications, index entries and summaries that name it still find it.
/// </summary>
public static class CardIds
{
    private const int IdBytes = 16;

    /// <summary>The id of the contact's <paramref name="ordinal"/>-th card (from 1): 32 lower-case hex digits.</summary>
    public static string Of(string tenantId, string contactId, long ordinal)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ordinal, 1);
        // Length-prefixed so that no two (tenant, contact) pairs spell the same input.
        var input = Encoding.UTF8.GetBytes($"{tenantId.Length}:{tenantId}|{contactId.Length}:{contactId}|{ordinal}");
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(input, hash);
        return Convert.ToHexStringLower(hash[..IdBytes]);
    }
}
