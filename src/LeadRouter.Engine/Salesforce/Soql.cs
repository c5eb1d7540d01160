using System.Globalization;
using System.Text;

namespace LeadRouter.Salesforce;

/// <summary>
/// A SOQL statement the builder produced. The client runs only these, so every object and field
/// name in a query was checked by <see cref="ApiNames"/> and every value went through
/// <see cref="SoqlValue"/>'s escaping.
/// </summary>
public sealed class SoqlQuery
{
    internal SoqlQuery(string text, string objectName, bool isCount)
    {
        Text = text;
        ObjectName = objectName;
        IsCount = isCount;
    }

    public string Text { get; }
    public string ObjectName { get; }

    /// <summary>A <c>SELECT COUNT() FROM ...</c> query: the answer is totalSize, with no records.</summary>
    public bool IsCount { get; }

    public override string ToString() => Text;
}

/// <summary>Entry point of the SOQL builder: <c>Soql.Select("Id", "Owner.Name").From("Lead").Where(...).Build()</c>.</summary>
public static class Soql
{
    public static SoqlBuilder Select(params IEnumerable<string> fields) => new(fields.ToList(), count: false);

    public static SoqlBuilder SelectCount() => new([], count: true);

    /// <summary>A condition on a field or relationship path (validated here).</summary>
    public static SoqlField Field(string path) => new(ApiNames.FieldPath(path));

    public static SoqlCondition And(params IEnumerable<SoqlCondition> conditions) => SoqlCondition.Join("AND", conditions);

    public static SoqlCondition Or(params IEnumerable<SoqlCondition> conditions) => SoqlCondition.Join("OR", conditions);

    public static SoqlCondition Not(SoqlCondition condition) => new($"(NOT {condition.Text})");
}

/// <summary>Builds one SELECT. Conditions given to several Where calls are joined with AND.</summary>
public sealed class SoqlBuilder
{
    private readonly List<string> _fields = [];
    private readonly bool _count;
    private string? _object;
    private readonly List<SoqlCondition> _where = [];
    private readonly List<string> _orderBy = [];
    private int? _limit;

    internal SoqlBuilder(IReadOnlyList<string> fields, bool count)
    {
        _count = count;
        if (!count && fields.Count == 0)
            throw new ArgumentException("A SOQL SELECT needs at least one field.", nameof(fields));
        // A name selected twice is an error in Salesforce; configured and standard fields may overlap, so keep the first.
        foreach (var field in fields)
        {
            ApiNames.FieldPath(field);
            if (!_fields.Contains(field, StringComparer.OrdinalIgnoreCase))
                _fields.Add(field);
        }
    }

    public SoqlBuilder From(string objectName)
    {
        _object = ApiNames.Object(objectName);
        return this;
    }

    public SoqlBuilder Where(SoqlCondition condition)
    {
        _where.Add(condition);
        return this;
    }

    public SoqlBuilder OrderBy(string fieldPath, bool descending = false, bool? nullsLast = null)
    {
        var clause = ApiNames.FieldPath(fieldPath) + (descending ? " DESC" : " ASC");
        if (nullsLast is { } last)
            clause += last ? " NULLS LAST" : " NULLS FIRST";
        _orderBy.Add(clause);
        return this;
    }

    public SoqlBuilder Limit(int rows)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        _limit = rows;
        return this;
    }

    public SoqlQuery Build()
    {
        if (_object is null)
            throw new InvalidOperationException("The SOQL query has no FROM object.");
        var text = new StringBuilder("SELECT ");
        text.Append(_count ? "COUNT()" : string.Join(", ", _fields));
        text.Append(" FROM ").Append(_object);
        if (_where.Count > 0)
            text.Append(" WHERE ").Append(string.Join(" AND ", _where.Select(c => c.Text)));
        if (_orderBy.Count > 0)
            text.Append(" ORDER BY ").Append(string.Join(", ", _orderBy));
        if (_limit is { } limit)
            text.Append(" LIMIT ").Append(limit.ToString(CultureInfo.InvariantCulture));
        return new SoqlQuery(text.ToString(), _object, _count);
    }
}

/// <summary>A WHERE condition, already rendered from validated names and escaped values.</summary>
public sealed class SoqlCondition
{
    internal SoqlCondition(string text) => Text = text;

    internal string Text { get; }

    public override string ToString() => Text;

    internal static SoqlCondition Join(string keyword, IEnumerable<SoqlCondition> conditions)
    {
        var parts = conditions.Select(c => c.Text).ToList();
        return parts.Count switch
        {
            0 => throw new ArgumentException($"{keyword} needs at least one condition.", nameof(conditions)),
            1 => new SoqlCondition(parts[0]),
            _ => new SoqlCondition("(" + string.Join($" {keyword} ", parts) + ")"),
        };
    }
}

/// <summary>A validated field path to compare; each method renders one condition.</summary>
public readonly struct SoqlField
{
    private readonly string _path;

    internal SoqlField(string path) => _path = path;

    public SoqlCondition EqualTo(SoqlValue value) => Compare("=", value);
    public SoqlCondition NotEqualTo(SoqlValue value) => Compare("!=", value);
    public SoqlCondition LessThan(SoqlValue value) => Compare("<", value);
    public SoqlCondition AtMost(SoqlValue value) => Compare("<=", value);
    public SoqlCondition GreaterThan(SoqlValue value) => Compare(">", value);
    public SoqlCondition AtLeast(SoqlValue value) => Compare(">=", value);
    public SoqlCondition IsNull() => Compare("=", SoqlValue.Null);
    public SoqlCondition IsNotNull() => Compare("!=", SoqlValue.Null);

    /// <summary>LIKE with a caller-written pattern: % and _ are wildcards; quotes and backslashes are escaped.</summary>
    public SoqlCondition Like(string pattern) => Compare("LIKE", SoqlValue.From(pattern));

    /// <summary>LIKE 'prefix%', where % and _ inside <paramref name="prefix"/> match themselves.</summary>
    public SoqlCondition StartsWith(string prefix) => Compare("LIKE", SoqlValue.LikePattern(prefix, leading: false));

    /// <summary>LIKE '%text%', where % and _ inside <paramref name="text"/> match themselves.</summary>
    public SoqlCondition Contains(string text) => Compare("LIKE", SoqlValue.LikePattern(text, leading: true));

    public SoqlCondition In(params IEnumerable<SoqlValue> values) => Set("IN", values);
    public SoqlCondition In(IEnumerable<string> values) => Set("IN", values.Select(SoqlValue.From));
    public SoqlCondition NotIn(params IEnumerable<SoqlValue> values) => Set("NOT IN", values);
    public SoqlCondition NotIn(IEnumerable<string> values) => Set("NOT IN", values.Select(SoqlValue.From));

    private SoqlCondition Compare(string op, SoqlValue value) => new($"{Path} {op} {value.Literal}");

    private SoqlCondition Set(string op, IEnumerable<SoqlValue> values)
    {
        var literals = values.Select(v => v.Literal).ToList();
        if (literals.Count == 0)
            throw new ArgumentException($"{op} on {Path} needs at least one value.", nameof(values));
        return new($"{Path} {op} ({string.Join(", ", literals)})");
    }

    private string Path => _path ?? throw new InvalidOperationException("Use Soql.Field(path) to name a field.");
}

/// <summary>
/// A SOQL literal. Strings are quoted and escaped per SOQL's rules (backslash, quotes, line breaks,
/// tab, backspace, form feed; other control characters as \uXXXX); datetimes are UTC
/// <c>yyyy-MM-ddTHH:mm:ssZ</c>; dates <c>yyyy-MM-dd</c>; numbers invariant.
/// </summary>
public readonly struct SoqlValue
{
    private readonly string? _literal;

    private SoqlValue(string literal) => _literal = literal;

    internal string Literal => _literal ?? "null";

    public static SoqlValue Null => new("null");

    public static SoqlValue From(string value) => new("'" + Escape(value, like: false) + "'");
    public static SoqlValue From(bool value) => new(value ? "true" : "false");
    public static SoqlValue From(long value) => new(value.ToString(CultureInfo.InvariantCulture));
    public static SoqlValue From(decimal value) => new(value.ToString(CultureInfo.InvariantCulture));

    public static SoqlValue From(double value) =>
        double.IsFinite(value)
            ? new(value.ToString("R", CultureInfo.InvariantCulture))
            : throw new ArgumentOutOfRangeException(nameof(value), value, "SOQL has no literal for NaN or infinity.");

    /// <summary>
    /// SOQL datetime literals carry whole seconds and Salesforce stores whole seconds, so a
    /// sub-second part is dropped (rounded down): a "changed since" filter then returns a superset.
    /// </summary>
    public static SoqlValue From(DateTimeOffset value)
    {
        var utc = value.UtcDateTime;
        utc = utc.AddTicks(-(utc.Ticks % TimeSpan.TicksPerSecond));
        return new(utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
    }

    public static SoqlValue From(DateOnly value) => new(value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

    public static implicit operator SoqlValue(string value) => From(value);
    public static implicit operator SoqlValue(bool value) => From(value);
    public static implicit operator SoqlValue(int value) => From(value);
    public static implicit operator SoqlValue(long value) => From(value);
    public static implicit operator SoqlValue(decimal value) => From(value);
    public static implicit operator SoqlValue(double value) => From(value);
    public static implicit operator SoqlValue(DateTimeOffset value) => From(value);
    public static implicit operator SoqlValue(DateOnly value) => From(value);

    public override string ToString() => Literal;

    internal static SoqlValue LikePattern(string text, bool leading) =>
        new("'" + (leading ? "%" : "") + Escape(text, like: true) + "%'");

    /// <summary>The inside of a quoted SOQL string. With <paramref name="like"/>, % and _ are escaped to match themselves.</summary>
    public static string Escape(string value, bool like)
    {
        ArgumentNullException.ThrowIfNull(value);
        var escaped = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\': escaped.Append(@"\\"); break;
                case '\'': escaped.Append(@"\'"); break;
                case '"': escaped.Append("\\\""); break;
                case '\n': escaped.Append(@"\n"); break;
                case '\r': escaped.Append(@"\r"); break;
                case '\t': escaped.Append(@"\t"); break;
                case '\b': escaped.Append(@"\b"); break;
                case '\f': escaped.Append(@"\f"); break;
                case '%' when like: escaped.Append(@"\%"); break;
                case '_' when like: escaped.Append(@"\_"); break;
                default:
                    if (char.IsControl(c))
                        escaped.Append(@"\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else
                        escaped.Append(c);
                    break;
            }
        }
        return escaped.ToString();
    }
}
