namespace Handoff.Domain.Text;

/// <summary>
/// Splits text into lower-case words and finds word phrases in it. Matching whole words (not substrings)
/// keeps "call me" from matching "recall me" and lets negation look at the words just before a phrase.
/// </summary>
internal static class TextTokens
{
    /// <summary>Lower-case words of <paramref name="text"/>; apostrophes stay inside words so "don't" is one word.</summary>
    public static string[] Split(string text)
    {
        var words = new List<string>();
        var current = new System.Text.StringBuilder();
        foreach (var raw in text)
        {
            var c = raw == '\u2019' ? '\'' : char.ToLowerInvariant(raw);
            if (char.IsLetterOrDigit(c) || (c == '\'' && current.Length > 0))
            {
                current.Append(c);
                continue;
            }

            Flush();
        }

        Flush();
        return [.. words];

        void Flush()
        {
            var word = current.ToString().TrimEnd('\'');
            if (word.Length > 0)
            {
                words.Add(word);
            }

            current.Clear();
        }
    }

    /// <summary>Each phrase as its words, longest first so a longer phrase wins over a shorter one it contains.</summary>
    public static string[][] Phrases(IEnumerable<string> phrases) =>
        [.. phrases.Select(Split).Where(p => p.Length > 0).OrderByDescending(p => p.Length)];

    /// <summary>True when <paramref name="phrase"/> occurs in <paramref name="words"/> starting at <paramref name="start"/>.</summary>
    public static bool MatchesAt(string[] words, int start, string[] phrase) =>
        start + phrase.Length <= words.Length && phrase.AsSpan().SequenceEqual(words.AsSpan(start, phrase.Length));

    /// <summary>True when any of <paramref name="phrases"/> occurs in <paramref name="words"/>.</summary>
    public static bool ContainsAny(string[] words, string[][] phrases)
    {
        for (var i = 0; i < words.Length; i++)
        {
            foreach (var phrase in phrases)
            {
                if (MatchesAt(words, i, phrase))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
