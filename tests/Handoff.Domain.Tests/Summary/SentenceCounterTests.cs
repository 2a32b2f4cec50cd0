using Handoff.Domain.Summary;

namespace Handoff.Domain.Tests.Summary;

public sealed class SentenceCounterTests
{
    [Theory]
    [InlineData("", 0)]
    [InlineData("   ", 0)]
    [InlineData("...", 0)]
    [InlineData("Call today", 1)]
    [InlineData("Call today.", 1)]
    [InlineData("One. Two.", 2)]
    [InlineData("Ends without a mark. Second", 2)]
    [InlineData("Score is 3.5 now. Visit acme.com and v2.1 today.", 2)]
    [InlineData("Really?! Yes.", 2)]
    [InlineData("Wait... what? Fine.", 3)]
    [InlineData("The contact wrote \"see you Tuesday.\" Then booked.", 2)]
    [InlineData("(Booked twice.) Viewed pricing.", 2)]
    [InlineData("Booked\u2026 then cancelled.", 2)]
    [InlineData("One.\nTwo.\n\nThree. Four! Five? Six.", 6)]
    [InlineData("Mr. Lee called.", 2)] // known limit: abbreviations count as breaks, which only makes the check stricter
    public void Counts_sentences(string text, int expected) => Assert.Equal(expected, SentenceCounter.Count(text));
}
