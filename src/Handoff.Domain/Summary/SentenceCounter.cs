namespace Handoff.Domain.Summary;

/// <summary>
/// Counts the sentences in a short English paragraph, to check a summary keeps to the card's 2-4 sentences.
/// </summary>
/// <remarks>
/// <para>A sentence ends at '.', '!', '?' or '…' when the mark is followed by whitespace or the end of the text.
/// A run of marks ("?!", "...") ends one sentence, and closing quotes or brackets right after it belong to that sentence.
/// Text after the last mark counts as one more sentence, so "Call today" is one sentence.</para>
/// <para>A mark inside a token does not end a sentence: "3.5", "v2.1" and "acme.com" are not breaks.
/// A stretch with no letter or digit ("...", " - ") is not a sentence.</para>
/// <para>Known limit: an abbreviation followed by a space ("e.g. the", "Mr. Lee") counts as a break. That errs towards
/// more sentences, which can only make the fallback stricter, never let an over-long answer through.</para>
/// </remarks>
public static class SentenceCounter
{
    public static int Count(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var count = 0;
        var hasContent = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (!IsTerminator(c))
            {
                hasContent |= char.IsLetterOrDigit(c);
                continue;
            }

            var end = i + 1;
            while (end < text.Length && IsTerminator(text[end]))
            {
                end++;
            }

            while (end < text.Length && IsCloser(text[end]))
            {
                end++;
            }

            if (end == text.Length || char.IsWhiteSpace(text[end]))
            {
                if (hasContent)
                {
                    count++;
                }

                hasContent = false;
            }

            i = end - 1;
        }

        return hasContent ? count + 1 : count;
    }

    private static bool IsTerminator(char c) => c is '.' or '!' or '?' or '\u2026';

    private static bool IsCloser(char c) => c is '"' or '\'' or ')' or ']' or '\u201D' or '\u2019' or '\u00BB';
}
