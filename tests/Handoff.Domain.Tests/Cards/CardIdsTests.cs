using Handoff.Domain.Cards;

namespace Handoff.Domain.Tests.Cards;

public sealed class CardIdsTests
{
    [Fact]
    public void The_same_card_of_the_same_contact_always_has_the_same_id()
    {
        var id = CardIds.Of("acme", "contact-7", 3);

        Assert.Equal(id, CardIds.Of("acme", "contact-7", 3));
        Assert.Matches("^[0-9a-f]{32}$", id);
    }

    [Fact]
    public void Ids_differ_by_ordinal_tenant_and_contact()
    {
        string[] ids =
        [
            CardIds.Of("acme", "contact-7", 1),
            CardIds.Of("acme", "contact-7", 2),
            CardIds.Of("globex", "contact-7", 1),
            CardIds.Of("acme", "contact-8", 1),
        ];

        Assert.Equal(ids.Length, ids.Distinct().Count());
    }

    [Fact]
    public void A_separator_inside_an_id_does_not_make_two_contacts_share_a_card_id()
    {
        // Without the length prefixes both would hash "a|b|c|1".
        Assert.NotEqual(CardIds.Of("a|b", "c", 1), CardIds.Of("a", "b|c", 1));
    }

    [Fact]
    public void Ordinals_start_at_one()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CardIds.Of("acme", "contact-7", 0));
    }
}
