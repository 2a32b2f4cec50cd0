namespace Handoff.Domain.Text;

/// <summary>
/// How every value of one enum reads, in one table. A value without an entry throws instead of falling back to a
/// default, so a value added to the enum without its wording fails the wording tests rather than reading wrong.
/// </summary>
public sealed class WordingTable<TEnum, TWords>(string vocabulary, IReadOnlyDictionary<TEnum, TWords> entries)
    where TEnum : struct, Enum
{
    public TWords this[TEnum value] => entries.TryGetValue(value, out var words)
        ? words
        : throw new ArgumentOutOfRangeException(nameof(value), value, $"The {vocabulary} wording table has no entry for {value}.");
}
