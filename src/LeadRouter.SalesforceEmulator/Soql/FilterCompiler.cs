using System.Text;
using System.Text.RegularExpressions;
using LeadRouter.Org;
using LeadRouter.SalesforceEmulator.Data;

namespace LeadRouter.SalesforceEmulator.Soql;

/// <summary>
/// Compiles a WHERE condition into one delegate per query: each comparison unboxes the stored value
/// to its field's type and compares it with the literal converted once, so filtering a million rows
/// walks no syntax tree and allocates nothing per row.
/// Null semantics follow SOQL: a null field is never equal, less or greater than a value, is "!="
/// any value, and is "NOT IN" any list without null. Text compares case-insensitively; ids exactly
/// (15-character literals are accepted). A date literal (TODAY, LAST_N_DAYS:n...) on a datetime field
/// covers its days from midnight to midnight in the org's time zone.
/// </summary>
internal sealed class FilterCompiler(FieldBinder binder, string soql, DateTimeOffset now, TimeZoneInfo zone)
{
    private readonly DateOnly _today = DateRanges.Today(now, zone);

    public Func<object?[], bool> Compile(Condition condition) => condition switch
    {
        AndCondition and => All(and.Terms.Select(Compile).ToArray()),
        OrCondition or => Any(or.Terms.Select(Compile).ToArray()),
        NotCondition not => Negate(Compile(not.Term)),
        Comparison { Operator.Kind: TokenKind.Identifier } like => Like(like),
        Comparison comparison => Compare(comparison),
        InCondition list => In(list),
        _ => throw new ArgumentOutOfRangeException(nameof(condition)),
    };

    private static Func<object?[], bool> All(Func<object?[], bool>[] terms) => terms.Length == 2
        ? row => terms[0](row) && terms[1](row)
        : row =>
        {
            foreach (var term in terms)
            {
                if (!term(row))
                    return false;
            }
            return true;
        };

    private static Func<object?[], bool> Any(Func<object?[], bool>[] terms) => terms.Length == 2
        ? row => terms[0](row) || terms[1](row)
        : row =>
        {
            foreach (var term in terms)
            {
                if (term(row))
                    return true;
            }
            return false;
        };

    private static Func<object?[], bool> Negate(Func<object?[], bool> term) => row => !term(row);

    private Func<object?[], bool> Compare(Comparison comparison)
    {
        var field = binder.Bind(comparison.Field, "filtered");
        var op = comparison.Operator.Text == "<>" ? "!=" : comparison.Operator.Text;
        var literal = comparison.Value;
        var get = field.Get;
        if (literal.Kind == LiteralKind.Null)
        {
            return op switch
            {
                "=" => row => get(row) is null,
                "!=" => row => get(row) is not null,
                _ => throw SoqlErrors.BadFilter(soql, comparison.Operator.Position, $"invalid operator on null: {op}"),
            };
        }
        if (field.Kind == FieldKind.Boolean && op is not ("=" or "!="))
            throw SoqlErrors.BadFilter(soql, comparison.Operator.Position, $"invalid operator on boolean field: {op}");
        return field.Kind switch
        {
            FieldKind.Text => Typed(field, op, literal, v => (string)v, StringComparer.OrdinalIgnoreCase, TextLiteral),
            FieldKind.Id or FieldKind.Reference => Typed(field, op, literal, v => (string)v, StringComparer.Ordinal, IdLiteral),
            FieldKind.Boolean => Typed(field, op, literal, v => (bool)v, Comparer<bool>.Default, BooleanLiteral),
            FieldKind.Int => Typed(field, op, literal, v => (decimal)(int)v, Comparer<decimal>.Default, NumberLiteral),
            FieldKind.Decimal => Typed(field, op, literal, v => (decimal)v, Comparer<decimal>.Default, NumberLiteral),
            FieldKind.Date => literal.Kind == LiteralKind.DateRange
                ? Range(field, op, v => (DateOnly)v, Comparer<DateOnly>.Default, DayRange(literal))
                : Typed(field, op, literal, v => (DateOnly)v, Comparer<DateOnly>.Default, DateLiteral),
            FieldKind.DateTime => literal.Kind == LiteralKind.DateRange
                ? Range(field, op, v => ((DateTimeOffset)v).UtcTicks, Comparer<long>.Default, InstantRange(literal))
                : Typed(field, op, literal, v => ((DateTimeOffset)v).UtcTicks, Comparer<long>.Default, DateTimeLiteral),
            _ => throw new ArgumentOutOfRangeException(nameof(comparison)),
        };
    }

    private Func<object?[], bool> Typed<T>(BoundField field, string op, Literal literal, Func<object, T> key, IComparer<T> comparer,
        Func<BoundField, Literal, T> convert)
    {
        var value = convert(field, literal);
        var get = field.Get;
        return op switch
        {
            "=" => row => get(row) is { } v && comparer.Compare(key(v), value) == 0,
            "!=" => row => get(row) is not { } v || comparer.Compare(key(v), value) != 0,
            "<" => row => get(row) is { } v && comparer.Compare(key(v), value) < 0,
            "<=" => row => get(row) is { } v && comparer.Compare(key(v), value) <= 0,
            ">" => row => get(row) is { } v && comparer.Compare(key(v), value) > 0,
            ">=" => row => get(row) is { } v && comparer.Compare(key(v), value) >= 0,
            _ => throw SoqlErrors.Malformed(soql, literal.Token.Position, $"unexpected token: '{op}'"),
        };
    }

    // A date literal is a range [start, end): "=" means inside it, "<" before it, ">" after it.
    private static Func<object?[], bool> Range<T>(BoundField field, string op, Func<object, T> key, IComparer<T> comparer, (T Start, T End) range)
    {
        var (start, end) = range;
        var get = field.Get;
        return op switch
        {
            "=" => row => get(row) is { } v && comparer.Compare(key(v), start) >= 0 && comparer.Compare(key(v), end) < 0,
            "!=" => row => get(row) is not { } v || comparer.Compare(key(v), start) < 0 || comparer.Compare(key(v), end) >= 0,
            "<" => row => get(row) is { } v && comparer.Compare(key(v), start) < 0,
            "<=" => row => get(row) is { } v && comparer.Compare(key(v), end) < 0,
            ">" => row => get(row) is { } v && comparer.Compare(key(v), end) >= 0,
            ">=" => row => get(row) is { } v && comparer.Compare(key(v), start) >= 0,
            _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
        };
    }

    private Func<object?[], bool> In(InCondition condition)
    {
        var field = binder.Bind(condition.Field, "filtered");
        var includesNull = condition.Values.Any(v => v.Kind == LiteralKind.Null);
        var values = condition.Values.Where(v => v.Kind != LiteralKind.Null).ToArray();
        return field.Kind switch
        {
            FieldKind.Text => Member(field, condition.Negated, includesNull, values, v => (string)v, StringComparer.OrdinalIgnoreCase, TextLiteral),
            FieldKind.Id or FieldKind.Reference => Member(field, condition.Negated, includesNull, values, v => (string)v, StringComparer.Ordinal, IdLiteral),
            FieldKind.Boolean => Member(field, condition.Negated, includesNull, values, v => (bool)v, EqualityComparer<bool>.Default, BooleanLiteral),
            FieldKind.Int => Member(field, condition.Negated, includesNull, values, v => (decimal)(int)v, EqualityComparer<decimal>.Default, NumberLiteral),
            FieldKind.Decimal => Member(field, condition.Negated, includesNull, values, v => (decimal)v, EqualityComparer<decimal>.Default, NumberLiteral),
            FieldKind.Date => Member(field, condition.Negated, includesNull, values, v => (DateOnly)v, EqualityComparer<DateOnly>.Default, DateLiteral),
            FieldKind.DateTime => Member(field, condition.Negated, includesNull, values, v => ((DateTimeOffset)v).UtcTicks, EqualityComparer<long>.Default, DateTimeLiteral),
            _ => throw new ArgumentOutOfRangeException(nameof(condition)),
        };
    }

    private static Func<object?[], bool> Member<T>(BoundField field, bool negated, bool includesNull, Literal[] values,
        Func<object, T> key, IEqualityComparer<T> comparer, Func<BoundField, Literal, T> convert)
    {
        var set = new HashSet<T>(values.Select(v => convert(field, v)), comparer);
        var get = field.Get;
        var whenNull = includesNull != negated;
        return row => get(row) is { } v ? set.Contains(key(v)) != negated : whenNull;
    }

    private Func<object?[], bool> Like(Comparison like)
    {
        var field = binder.Bind(like.Field, "filtered");
        if (field.Kind != FieldKind.Text)
            throw SoqlErrors.BadFilter(soql, like.Operator.Position, $"invalid operator on {field.Field.Type} field: LIKE");
        if (like.Value.Kind != LiteralKind.String)
            throw TypeMismatch(field, like.Value);
        var regex = new Regex(LikeToRegex(like.Value.Token.LikePattern!),
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline | RegexOptions.NonBacktracking);
        var get = field.Get;
        return row => get(row) is string v && regex.IsMatch(v);
    }

    // % is any run of characters, _ exactly one; a backslash makes the next character literal.
    private static string LikeToRegex(string pattern)
    {
        var regex = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
                regex.Append(Regex.Escape(pattern[++i].ToString()));
            else if (c == '%')
                regex.Append(".*");
            else if (c == '_')
                regex.Append('.');
            else
                regex.Append(Regex.Escape(c.ToString()));
        }
        return regex.Append('$').ToString();
    }

    private string TextLiteral(BoundField field, Literal literal) =>
        literal.Kind == LiteralKind.String ? (string)literal.Value! : throw TypeMismatch(field, literal);

    private string IdLiteral(BoundField field, Literal literal)
    {
        var text = TextLiteral(field, literal);
        return SalesforceId.TryNormalize(text, out var id)
            ? id
            : throw SoqlErrors.BadFilter(soql, literal.Token.Position, $"invalid ID field: {text}");
    }

    private bool BooleanLiteral(BoundField field, Literal literal) =>
        literal.Kind == LiteralKind.Boolean ? (bool)literal.Value! : throw TypeMismatch(field, literal);

    private decimal NumberLiteral(BoundField field, Literal literal) =>
        literal.Kind == LiteralKind.Number ? (decimal)literal.Value! : throw TypeMismatch(field, literal);

    private DateOnly DateLiteral(BoundField field, Literal literal) =>
        literal.Kind == LiteralKind.Date ? (DateOnly)literal.Value! : throw TypeMismatch(field, literal);

    private long DateTimeLiteral(BoundField field, Literal literal) =>
        literal.Kind == LiteralKind.DateTime ? ((DateTimeOffset)literal.Value!).UtcTicks : throw TypeMismatch(field, literal);

    private (DateOnly Start, DateOnly End) DayRange(Literal literal) => DateRanges.Resolve(literal.RangeName!, literal.N, _today);

    private (long Start, long End) InstantRange(Literal literal)
    {
        var (start, end) = DayRange(literal);
        return (DateRanges.StartOfDay(start, zone).UtcTicks, DateRanges.StartOfDay(end, zone).UtcTicks);
    }

    private SalesforceFault TypeMismatch(BoundField field, Literal literal)
    {
        var (type, quoted) = field.Kind switch
        {
            FieldKind.Text or FieldKind.Id or FieldKind.Reference => ("string", true),
            FieldKind.Boolean => ("boolean", false),
            FieldKind.Int => ("integer", false),
            FieldKind.Decimal => ("double", false),
            FieldKind.Date => ("date", false),
            _ => ("dateTime", false),
        };
        return SoqlErrors.BadFilter(soql, literal.Token.Position,
            $"value of filter criterion for field '{field.Path}' must be of type {type} and should {(quoted ? "" : "not ")}be enclosed in quotes");
    }
}
