using Handoff.Domain.Text;

namespace Handoff.Domain.Tests.Text;

public sealed class Fnv64Tests
{
    /// <summary>Stored hashes (the event ids a contact has seen) must keep their values in every release.</summary>
    [Theory]
    [InlineData("", 14695981039346656037UL)]
    [InlineData("a", 12638187200555641996UL)]
    [InlineData("foobar", 9625390261332436968UL)]
    public void Gives_the_published_FNV_1a_values(string value, ulong expected)
    {
        Assert.Equal(expected, Fnv64.Of(value));
    }

    [Fact]
    public void Tells_ids_that_differ_in_one_character_apart()
    {
        Assert.NotEqual(Fnv64.Of("evt-1"), Fnv64.Of("evt-2"));
    }
}
