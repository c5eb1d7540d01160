using System.Globalization;
using System.Text.RegularExpressions;

namespace LeadRouter.Rules;

/// <summary>
/// The meaning of a condition, shared by the rules loader (which checks it) and the routing engine
/// (which evaluates it): operator names, which operators fit which field kind, how operands parse,
/// and the compiled test. Text compares ignore case; a blank field equals nothing and is "not equal"
/// to everything, as in Salesforce's own assignment rules.
/// </summary>
public static class Conditions
{
    public static IReadOnlyDictionary<string, ConditionOperator> OperatorsByName { get; } =
        new Dictionary<string, ConditionOperator>(StringComparer.Ordinal)
        {
            ["equals"] = ConditionOperator.EqualTo,
            ["notEquals"] = ConditionOperator.NotEqualTo,
            ["in"] = ConditionOperator.In,
            ["notIn"] = ConditionOperator.NotIn,
            ["greaterThan"] = ConditionOperator.GreaterThan,
            ["lessThan"] = ConditionOperator.LessThan,
            ["contains"] = ConditionOperator.Contains,
            ["startsWith"] = ConditionOperator.StartsWith,
            ["isBlank"] = ConditionOperator.IsBlank,
            ["isNotBlank"] = ConditionOperator.IsNotBlank,
            ["matches"] = ConditionOperator.Matches,
        };

    public static string NameOf(ConditionOperator op) => OperatorsByName.First(p => p.Value == op).Key;

    /// <summary>How many operands an operator takes: 0 (blank tests), many (in lists) or 1.</summary>
    public static OperandCount OperandsOf(ConditionOperator op) => op switch
    {
        ConditionOperator.IsBlank or ConditionOperator.IsNotBlank => OperandCount.None,
        ConditionOperator.In or ConditionOperator.NotIn => OperandCount.Many,
        _ => OperandCount.One,
    };

    /// <summary>Null when <paramref name="op"/> applies to a field of <paramref name="kind"/>, else why not.</summary>
    public static string? OperatorProblem(FieldKind kind, ConditionOperator op, string field)
    {
        var fits = kind switch
        {
            FieldKind.Text => true,
            FieldKind.Number => op is not (ConditionOperator.Contains or ConditionOperator.StartsWith or ConditionOperator.Matches),
            FieldKind.Boolean => op is ConditionOperator.EqualTo or ConditionOperator.NotEqualTo,
            _ => op is ConditionOperator.GreaterThan or ConditionOperator.LessThan or ConditionOperator.IsBlank or ConditionOperator.IsNotBlank,
        };
        return fits ? null : $"operator '{NameOf(op)}' does not apply to {kind.ToString().ToLowerInvariant()} field {field}";
    }

    /// <summary>Null when the operands parse for the field kind and operator (and a pattern compiles), else why not.</summary>
    public static string? OperandProblem(FieldKind kind, ConditionOperator op, IReadOnlyList<string> values)
    {
        if (op == ConditionOperator.Matches)
            return PatternProblem(values[0]);
        foreach (var value in values)
        {
            var ok = (kind, op) switch
            {
                (FieldKind.Number, _) or (FieldKind.Text, ConditionOperator.GreaterThan or ConditionOperator.LessThan) => TryNumber(value, out _),
                (FieldKind.Boolean, _) => bool.TryParse(value, out _),
                (FieldKind.DateTime, _) => TryDate(value, out _),
                _ => true,
            };
            if (!ok)
            {
                var expected = kind switch
                {
                    FieldKind.Boolean => "true or false",
                    FieldKind.DateTime => "an ISO 8601 date or date-time",
                    _ => "a number",
                };
                return $"'{value}' is not {expected}";
            }
        }
        return null;
    }

    /// <summary>Compiles a .NET regular expression as rules use it: case-insensitive, culture-invariant, linear time.</summary>
    public static Regex Pattern(string pattern) =>
        new(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);

    public static string? PatternProblem(string pattern)
    {
        try
        {
            Pattern(pattern);
            return null;
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            return $"regular expression does not compile: {e.Message}";
        }
    }

    /// <summary>The test a condition makes on a record; operands must have passed <see cref="OperandProblem"/>.</summary>
    public static Func<T, bool> Compile<T>(FieldAccessor<T> field, ConditionOperator op, IReadOnlyList<string> values) => field.Kind switch
    {
        FieldKind.Text => CompileText(field.Text, op, values),
        FieldKind.Number => CompileNumber(field.Number, op, values),
        FieldKind.Boolean => CompileBoolean(field.Boolean, op, bool.Parse(values[0])),
        _ => CompileDate(field.DateTime, op, values),
    };

    private static Func<T, bool> CompileText<T>(Func<T, string?> read, ConditionOperator op, IReadOnlyList<string> values)
    {
        var operand = values.Count > 0 ? values[0] : "";
        switch (op)
        {
            case ConditionOperator.EqualTo:
                return r => string.Equals(read(r), operand, StringComparison.OrdinalIgnoreCase);
            case ConditionOperator.NotEqualTo:
                return r => !string.Equals(read(r), operand, StringComparison.OrdinalIgnoreCase);
            case ConditionOperator.In:
            case ConditionOperator.NotIn:
                var set = values.ToHashSet(StringComparer.OrdinalIgnoreCase);
                var wanted = op == ConditionOperator.In;
                return r => read(r) is { } v ? set.Contains(v) == wanted : !wanted;
            case ConditionOperator.GreaterThan:
            case ConditionOperator.LessThan:
                var limit = ParseNumber(operand);
                var greater = op == ConditionOperator.GreaterThan;
                return r => TryNumber(read(r), out var v) && (greater ? v > limit : v < limit);
            case ConditionOperator.Contains:
                return r => read(r)?.Contains(operand, StringComparison.OrdinalIgnoreCase) == true;
            case ConditionOperator.StartsWith:
                return r => read(r)?.StartsWith(operand, StringComparison.OrdinalIgnoreCase) == true;
            case ConditionOperator.IsBlank:
                return r => string.IsNullOrWhiteSpace(read(r));
            case ConditionOperator.IsNotBlank:
                return r => !string.IsNullOrWhiteSpace(read(r));
            default:
                var regex = Pattern(operand);
                return r => read(r) is { } v && regex.IsMatch(v);
        }
    }

    private static Func<T, bool> CompileNumber<T>(Func<T, decimal?> read, ConditionOperator op, IReadOnlyList<string> values)
    {
        var numbers = values.Select(ParseNumber).ToArray();
        var operand = numbers.Length > 0 ? numbers[0] : 0m;
        return op switch
        {
            ConditionOperator.EqualTo => r => read(r) == operand,
            ConditionOperator.NotEqualTo => r => read(r) != operand,
            ConditionOperator.In => r => read(r) is { } v && numbers.Contains(v),
            ConditionOperator.NotIn => r => read(r) is not { } v || !numbers.Contains(v),
            ConditionOperator.GreaterThan => r => read(r) > operand,
            ConditionOperator.LessThan => r => read(r) < operand,
            ConditionOperator.IsBlank => r => read(r) is null,
            _ => r => read(r) is not null,
        };
    }

    private static Func<T, bool> CompileBoolean<T>(Func<T, bool?> read, ConditionOperator op, bool operand) =>
        op == ConditionOperator.EqualTo ? r => read(r) == operand : r => read(r) != operand;

    private static Func<T, bool> CompileDate<T>(Func<T, DateTimeOffset?> read, ConditionOperator op, IReadOnlyList<string> values)
    {
        var operand = values.Count > 0 && TryDate(values[0], out var d) ? d : default;
        return op switch
        {
            ConditionOperator.GreaterThan => r => read(r) > operand,
            ConditionOperator.LessThan => r => read(r) < operand,
            ConditionOperator.IsBlank => r => read(r) is null,
            _ => r => read(r) is not null,
        };
    }

    private static decimal ParseNumber(string text) => decimal.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static bool TryNumber(string? text, out decimal value) =>
        decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    private static bool TryDate(string text, out DateTimeOffset value) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
}

public enum OperandCount
{
    None,
    One,
    Many,
}
