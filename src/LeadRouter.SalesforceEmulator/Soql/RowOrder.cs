using LeadRouter.SalesforceEmulator.Data;

namespace LeadRouter.SalesforceEmulator.Soql;

/// <summary>
/// ORDER BY: each sort field's values are read once into an array (dates, datetimes, numbers and
/// booleans as longs), then row positions are sorted. Ties keep store order, so the same query over
/// the same data always pages the same way.
/// </summary>
internal static class RowOrder
{
    public static object?[][] Sort(object?[][] rows, IReadOnlyList<(BoundField Field, bool Descending, bool NullsFirst)> order)
    {
        var keys = order.Select(o => Key(rows, o.Field, o.Descending, o.NullsFirst)).ToArray();
        var positions = new int[rows.Length];
        for (var i = 0; i < positions.Length; i++)
            positions[i] = i;
        Array.Sort(positions, new PositionComparer(keys));
        var sorted = new object?[rows.Length][];
        for (var i = 0; i < positions.Length; i++)
            sorted[i] = rows[positions[i]];
        return sorted;
    }

    private static SortKey Key(object?[][] rows, BoundField field, bool descending, bool nullsFirst)
    {
        Func<object, long>? asLong = field.Kind switch
        {
            FieldKind.DateTime => v => ((DateTimeOffset)v).UtcTicks,
            FieldKind.Date => v => ((DateOnly)v).DayNumber,
            FieldKind.Int => v => (int)v,
            FieldKind.Boolean => v => (bool)v ? 1 : 0,
            _ => null,
        };
        if (asLong is null)
        {
            var values = new object?[rows.Length];
            for (var i = 0; i < rows.Length; i++)
                values[i] = field.Get(rows[i]);
            IComparer<object> comparer = field.Kind == FieldKind.Text
                ? Comparer<object>.Create((a, b) => StringComparer.OrdinalIgnoreCase.Compare((string)a, (string)b))
                : Comparer<object>.Default;
            return new ObjectKey(values, comparer, descending, nullsFirst);
        }
        // Nulls become the smallest or largest long so they land first or last after the direction is applied.
        var nullValue = nullsFirst == descending ? long.MaxValue : long.MinValue;
        var longs = new long[rows.Length];
        for (var i = 0; i < rows.Length; i++)
            longs[i] = field.Get(rows[i]) is { } v ? asLong(v) : nullValue;
        return new LongKey(longs, descending);
    }

    private abstract class SortKey
    {
        public abstract int Compare(int a, int b);
    }

    private sealed class LongKey(long[] values, bool descending) : SortKey
    {
        public override int Compare(int a, int b)
        {
            var c = values[a].CompareTo(values[b]);
            return descending ? -c : c;
        }
    }

    private sealed class ObjectKey(object?[] values, IComparer<object> comparer, bool descending, bool nullsFirst) : SortKey
    {
        public override int Compare(int a, int b)
        {
            var (x, y) = (values[a], values[b]);
            if (x is null || y is null)
                return x is null && y is null ? 0 : (x is null) == nullsFirst ? -1 : 1;
            var c = comparer.Compare(x, y);
            return descending ? -c : c;
        }
    }

    private sealed class PositionComparer(SortKey[] keys) : IComparer<int>
    {
        public int Compare(int a, int b)
        {
            foreach (var key in keys)
            {
                var c = key.Compare(a, b);
                if (c != 0)
                    return c;
            }
            return a.CompareTo(b);
        }
    }
}
