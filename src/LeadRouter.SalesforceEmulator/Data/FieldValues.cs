using System.Globalization;
using System.Text.Json;
using LeadRouter.Org;

namespace LeadRouter.SalesforceEmulator.Data;

/// <summary>How a field's values are held in the store (one CLR type per kind).</summary>
internal enum FieldKind
{
    /// <summary>string, the record's own 18-character id.</summary>
    Id,
    /// <summary>string, an 18-character id of another record.</summary>
    Reference,
    /// <summary>string (text, picklist, email...).</summary>
    Text,
    /// <summary>bool.</summary>
    Boolean,
    /// <summary>int.</summary>
    Int,
    /// <summary>decimal (double, currency, percent): exact, as Salesforce's numbers are.</summary>
    Decimal,
    /// <summary>DateOnly.</summary>
    Date,
    /// <summary>DateTimeOffset in UTC.</summary>
    DateTime,
    /// <summary>A compound address: nothing stored, built from its components when read (<see cref="ObjectTable.Value"/>).</summary>
    Address,
}

/// <summary>A value that does not fit its field: the Salesforce error code and message to report.</summary>
internal sealed class FieldValueException(string errorCode, string message) : Exception(message)
{
    public string ErrorCode { get; } = errorCode;
}

/// <summary>Converts incoming values (CLR primitives, strings in wire format, or JsonElement) to a field's stored type.</summary>
internal static class FieldValues
{
    public static readonly object True = true;
    public static readonly object False = false;

    public static FieldKind KindOf(SObjectField field) => field.Type switch
    {
        "id" => FieldKind.Id,
        "reference" => FieldKind.Reference,
        "boolean" => FieldKind.Boolean,
        "int" => FieldKind.Int,
        "double" or "currency" or "percent" => FieldKind.Decimal,
        "date" => FieldKind.Date,
        "datetime" => FieldKind.DateTime,
        "address" => FieldKind.Address,
        _ => FieldKind.Text,
    };

    public static object Box(bool value) => value ? True : False;

    /// <summary>Unwraps a JsonElement to string, bool, decimal/double or null; other values pass through.</summary>
    public static object? Unwrap(object? value, string fieldName)
    {
        if (value is not JsonElement json)
            return value;
        return json.ValueKind switch
        {
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            JsonValueKind.String => json.GetString(),
            JsonValueKind.True => True,
            JsonValueKind.False => False,
            JsonValueKind.Number => json.TryGetDecimal(out var d) ? d : json.GetDouble(),
            _ => throw new FieldValueException("JSON_PARSER_ERROR",
                $"Cannot deserialize instance of {fieldName} from {json.ValueKind.ToString().ToUpperInvariant()} value"),
        };
    }

    /// <summary>Converts a value to the stored type of <paramref name="field"/>; throws <see cref="FieldValueException"/>.</summary>
    public static object? Convert(SObjectField field, FieldKind kind, object? value)
    {
        value = Unwrap(value, field.Name);
        if (value is null)
            return null;
        return kind switch
        {
            FieldKind.Id or FieldKind.Reference => ToId(field, value),
            FieldKind.Text => ToText(value),
            FieldKind.Boolean => ToBoolean(field, value),
            FieldKind.Int => ToInt(field, value),
            FieldKind.Decimal => ToDecimal(field, value),
            FieldKind.Date => ToDate(field, value),
            FieldKind.DateTime => ToDateTime(field, value),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }

    // Keeps the caller's instance when it is already the 18-character form, so shared (pooled) ids stay shared.
    private static string ToId(SObjectField field, object value) =>
        value is string s && SalesforceId.TryNormalize(s, out var id)
            ? (id == s ? s : id)
            : throw new FieldValueException("MALFORMED_ID", $"{field.Name}: id value of incorrect type: {Describe(value)}");

    private static string ToText(object value) => value switch
    {
        string s => s,
        bool b => b ? "true" : "false",
        DateOnly date => SalesforceJson.FormatDate(date),
        DateTimeOffset dateTime => SalesforceJson.FormatDateTime(dateTime),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static object ToBoolean(SObjectField field, object value) => value switch
    {
        bool b => Box(b),
        string s when s.Equals("true", StringComparison.OrdinalIgnoreCase) => True,
        string s when s.Equals("false", StringComparison.OrdinalIgnoreCase) => False,
        _ => throw ParserError("boolean", value, field),
    };

    private static object ToInt(SObjectField field, object value)
    {
        var number = ToDecimal(field, value);
        return decimal.Truncate(number) == number && number is >= int.MinValue and <= int.MaxValue
            ? (int)number
            : throw NotOfRequiredType(field, value);
    }

    private static decimal ToDecimal(SObjectField field, object value)
    {
        switch (value)
        {
            case int i: return i;
            case long l: return l;
            case decimal m: return m;
            case double d when double.IsFinite(d) && Math.Abs(d) < 7.9e28: return (decimal)d;
            case float f when float.IsFinite(f) && Math.Abs(f) < 7.9e28f: return (decimal)f;
            case string s when decimal.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed): return parsed;
            default: throw NotOfRequiredType(field, value);
        }
    }

    private static object ToDate(SObjectField field, object value) => value switch
    {
        DateOnly date => date,
        string s when SalesforceJson.TryParseDate(s, out var date) => date,
        _ => throw ParserError("date", value, field),
    };

    private static object ToDateTime(SObjectField field, object value) => value switch
    {
        DateTimeOffset dateTime => dateTime.ToUniversalTime(),
        DateTime { Kind: DateTimeKind.Utc } utc => new DateTimeOffset(utc),
        string s when SalesforceJson.TryParseDateTime(s, out var dateTime) => dateTime,
        _ => throw ParserError("datetime", value, field),
    };

    // Salesforce's JSON deserializer reports a value it cannot read as JSON_PARSER_ERROR...
    private static FieldValueException ParserError(string type, object value, SObjectField field) =>
        new("JSON_PARSER_ERROR",
            $"Cannot deserialize instance of {type} from {(value is string ? "VALUE_STRING" : "VALUE")} value {Describe(value)} for field {field.Name}");

    // ...and a number field given something that is not that number as INVALID_TYPE_ON_FIELD_IN_RECORD.
    private static FieldValueException NotOfRequiredType(SObjectField field, object value) =>
        new("INVALID_TYPE_ON_FIELD_IN_RECORD", $"{field.Name}: value not of required type: {Describe(value)}");

    private static string Describe(object value) => ToText(value);
}
