namespace Handoff.Domain.Contacts;

/// <summary>
/// Journaled events grouped by the time the journal appended them: a contact applies each batch as of its append time,
/// oldest first, so that the live path and every replay of the journal (which gives the same batches and times) derive
/// the same contact, times included.
/// </summary>
public static class AppendBatches
{
    /// <summary>
    /// The items by append time, oldest first, each batch in the given order. An item without an append time (sent by
    /// a silo of the previous version) belongs to the batch of <paramref name="now"/>.
    /// </summary>
    public static IReadOnlyList<(DateTimeOffset AppendedAt, IReadOnlyList<T> Items)> Of<T>(
        IReadOnlyList<T> items, Func<T, DateTimeOffset?> appendedAtOf, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(appendedAtOf);
        if (items.Count == 0)
        {
            return [];
        }

        var first = appendedAtOf(items[0]);
        var oneBatch = true;
        for (var i = 1; i < items.Count && oneBatch; i++)
        {
            oneBatch = appendedAtOf(items[i]) == first;
        }

        // The live path's usual call, once per contact per batch: no grouping.
        return oneBatch ? [(first ?? now, items)] : Grouped(items, appendedAtOf, now);
    }

    /// <summary>
    /// A method of its own so that the lambdas' captures are allocated only here: captured in <see cref="Of{T}"/>, they
    /// would be allocated on every call, the usual one included.
    /// </summary>
    private static List<(DateTimeOffset AppendedAt, IReadOnlyList<T> Items)> Grouped<T>(
        IReadOnlyList<T> items, Func<T, DateTimeOffset?> appendedAtOf, DateTimeOffset now) =>
        items.GroupBy(i => appendedAtOf(i) ?? now)
            .OrderBy(batch => batch.Key)
            .Select(batch => (batch.Key, (IReadOnlyList<T>)batch.ToList()))
            .ToList();
}
