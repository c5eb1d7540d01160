using LeadRouter.SalesforceEmulator.Data;

namespace LeadRouter.SalesforceEmulator.Soql;

/// <summary>
/// ORDER BY. Each sort field becomes one long per row that already encodes the direction and where
/// nulls go: dates, datetimes, numbers and booleans by value, text, ids and decimals by their rank
/// among the distinct values. Sorting then compares longs only (one field sorts as a primitive
/// array). Ties keep store order, so the same query over the same data always pages the same way.
/// </summary>
internal static class RowOrder
{
    public static object?[][] Sort(object?[][] rows, IReadOnlyList<(BoundField Field, bool Descending, bool NullsFirst)> order)
    {
        var keys = order.Select(o => Keys(rows, o.Field, o.Descending, o.NullsFirst)).ToArray();
        var positions = new int[rows.Length];
        for (var i = 0; i < positions.Length; i++)
            positions[i] = i;
        if (keys.Length == 1)
        {
            var key = keys[0];
            Array.Sort(key, positions);
            // The primitive sort is not stable: restore store order within runs of equal keys.
            var start = 0;
            while (start < key.Length)
            {
                var end = start + 1;
                while (end < key.Length && key[end] == key[start])
                    end++;
                if (end - start > 1)
                    Array.Sort(positions, start, end - start);
                start = end;
            }
        }
        else
        {
            Array.Sort(positions, Comparer<int>.Create((a, b) =>
            {
                foreach (var key in keys)
                {
                    var c = key[a].CompareTo(key[b]);
                    if (c != 0)
                        return c;
                }
                return a.CompareTo(b);
            }));
        }
        var sorted = new object?[rows.Length][];
        for (var i = 0; i < positions.Length; i++)
            sorted[i] = rows[positions[i]];
        return sorted;
    }

    private static long[] Keys(object?[][] rows, BoundField field, bool descending, bool nullsFirst)
    {
        var values = new object?[rows.Length];
        for (var i = 0; i < rows.Length; i++)
            values[i] = field.Get(rows[i]);
        Func<object, long> toLong = field.Kind switch
        {
            FieldKind.DateTime => v => ((DateTimeOffset)v).UtcTicks,
            FieldKind.Date => v => ((DateOnly)v).DayNumber,
            FieldKind.Int => v => (int)v,
            FieldKind.Boolean => v => (bool)v ? 1 : 0,
            FieldKind.Decimal => Ranks(values, v => (decimal)v, Comparer<decimal>.Default, EqualityComparer<decimal>.Default),
            FieldKind.Text => Ranks(values, v => (string)v, StringComparer.OrdinalIgnoreCase, StringComparer.OrdinalIgnoreCase),
            _ => Ranks(values, v => (string)v, StringComparer.Ordinal, StringComparer.Ordinal),
        };
        // ~x reverses the order without overflow; nulls take the extreme that puts them first or last.
        var nullKey = nullsFirst ? long.MinValue : long.MaxValue;
        var keys = new long[rows.Length];
        for (var i = 0; i < keys.Length; i++)
            keys[i] = values[i] is { } v ? (descending ? ~toLong(v) : toLong(v)) : nullKey;
        return keys;
    }

    /// <summary>Maps each distinct value to its rank in sorted order (values equal under the comparer share a rank).</summary>
    private static Func<object, long> Ranks<T>(object?[] values, Func<object, T> cast, IComparer<T> comparer, IEqualityComparer<T> equality)
        where T : notnull
    {
        var ranks = new Dictionary<T, long>(equality);
        foreach (var value in values)
        {
            if (value is not null)
                ranks.TryAdd(cast(value), 0);
        }
        var distinct = ranks.Keys.ToArray();
        Array.Sort(distinct, comparer);
        for (var i = 0; i < distinct.Length; i++)
            ranks[distinct[i]] = i;
        return v => ranks[cast(v)];
    }
}
