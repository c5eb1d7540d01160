using System.Globalization;
using System.Text.Json;
using LeadRouter.Org;
using LeadRouter.Salesforce;

namespace LeadRouter.Sync;

/// <summary>
/// Reads the fields of one record of a query result (REST shape, fields by API name). A value of the
/// wrong shape throws <see cref="SalesforceRowException"/> naming the object, record and field, so the sync
/// can set that row aside and carry on.
/// </summary>
internal readonly struct SalesforceRow(string objectName, JsonElement record)
{
    public string Id => IdOrNull("Id") ?? throw Fault("Id", "is missing");

    public string? Text(string field) =>
        Value(field) switch
        {
            { ValueKind: JsonValueKind.String } v => v.GetString(),
            null => null,
            _ => throw Fault(field, "is not text"),
        };

    public string RequiredId(string field) => IdOrNull(field) ?? throw Fault(field, "is missing");

    public string? IdOrNull(string field)
    {
        var text = Text(field);
        if (text is null)
            return null;
        return SalesforceId.TryNormalize(text, out var id) ? id : throw Fault(field, $"'{text}' is not a Salesforce id");
    }

    public bool Bool(string field) =>
        Value(field) switch
        {
            { ValueKind: JsonValueKind.True } => true,
            { ValueKind: JsonValueKind.False } => false,
            null => false,
            _ => throw Fault(field, "is not true or false"),
        };

    public int? Int(string field) =>
        Value(field) switch
        {
            { ValueKind: JsonValueKind.Number } v when v.TryGetInt32(out var n) => n,
            // Salesforce returns whole-number fields such as NumberOfEmployees as JSON numbers, sometimes with ".0".
            { ValueKind: JsonValueKind.Number } v when v.TryGetDouble(out var d) && d == Math.Floor(d) && Math.Abs(d) <= int.MaxValue => (int)d,
            null => null,
            _ => throw Fault(field, "is not a whole number"),
        };

    public decimal? Decimal(string field) =>
        Value(field) switch
        {
            { ValueKind: JsonValueKind.Number } v when v.TryGetDecimal(out var d) => d,
            null => null,
            _ => throw Fault(field, "is not a number"),
        };

    public DateOnly? Date(string field)
    {
        var text = Text(field);
        if (text is null)
            return null;
        return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw Fault(field, $"'{text}' is not a date (yyyy-MM-dd)");
    }

    public DateTimeOffset? DateTime(string field)
    {
        var text = Text(field);
        if (text is null)
            return null;
        return SalesforceDateTimeConverter.TryParse(text, out var value)
            ? value.ToUniversalTime()
            : throw Fault(field, $"'{text}' is not a datetime");
    }

    public DateTimeOffset RequiredDateTime(string field) => DateTime(field) ?? throw Fault(field, "is missing");

    /// <summary>A field as text, whatever its JSON type (custom lead fields feed text conditions).</summary>
    public string? AsText(string field) =>
        Value(field) switch
        {
            null => null,
            { ValueKind: JsonValueKind.String } v => v.GetString(),
            { ValueKind: JsonValueKind.Number } v => v.GetRawText(),
            { ValueKind: JsonValueKind.True } => "true",
            { ValueKind: JsonValueKind.False } => "false",
            _ => throw Fault(field, "is not a scalar value"),
        };

    private JsonElement? Value(string field) =>
        record.TryGetProperty(field, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private SalesforceRowException Fault(string field, string problem)
    {
        var id = record.TryGetProperty("Id", out var idValue) && idValue.ValueKind == JsonValueKind.String ? idValue.GetString() : null;
        return new SalesforceRowException($"{objectName} {id ?? "(no Id)"}: {field} {problem}.");
    }
}

/// <summary>A record the sync cannot use; it is counted and reported, never stored.</summary>
public sealed class SalesforceRowException(string message) : Exception(message);
