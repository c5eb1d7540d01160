using System.Globalization;
using System.Text.Json;
using LeadRouter.Org;
using LeadRouter.Salesforce;

namespace LeadRouter.Sync;

/// <summary>
/// Reads the fields of one record of a query result, fields by API name: a REST record (JSON) or a Bulk
/// result row (CSV text, empty for null). Both give the same values for the same record. A value of the
/// wrong shape throws <see cref="SalesforceRowException"/> naming the object, record and field, so the sync
/// can set that row aside and carry on.
/// </summary>
internal readonly struct SalesforceRow
{
    private readonly string _objectName;
    private readonly JsonElement _record;
    private readonly BulkRow? _csv;

    public SalesforceRow(string objectName, JsonElement record)
    {
        _objectName = objectName;
        _record = record;
    }

    public SalesforceRow(string objectName, BulkRow csv)
    {
        _objectName = objectName;
        _csv = csv;
    }

    public string Id => IdOrNull("Id") ?? throw Fault("Id", "is missing");

    public string? Text(string field) =>
        _csv is { } csv ? csv[field] : Value(field) switch
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
        _csv is { } csv ? CsvBool(csv, field) : Value(field) switch
        {
            { ValueKind: JsonValueKind.True } => true,
            { ValueKind: JsonValueKind.False } => false,
            null => false,
            _ => throw Fault(field, "is not true or false"),
        };

    public int? Int(string field) =>
        _csv is { } csv ? CsvInt(csv, field) : Value(field) switch
        {
            { ValueKind: JsonValueKind.Number } v when v.TryGetInt32(out var n) => n,
            // Salesforce returns whole-number fields such as NumberOfEmployees as JSON numbers, sometimes with ".0".
            { ValueKind: JsonValueKind.Number } v when v.TryGetDouble(out var d) && d == Math.Floor(d) && Math.Abs(d) <= int.MaxValue => (int)d,
            null => null,
            _ => throw Fault(field, "is not a whole number"),
        };

    public decimal? Decimal(string field) =>
        _csv is { } csv ? CsvDecimal(csv, field) : Value(field) switch
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
        _csv is { } csv ? csv[field] : Value(field) switch
        {
            null => null,
            { ValueKind: JsonValueKind.String } v => v.GetString(),
            { ValueKind: JsonValueKind.Number } v => v.GetRawText(),
            { ValueKind: JsonValueKind.True } => "true",
            { ValueKind: JsonValueKind.False } => "false",
            _ => throw Fault(field, "is not a scalar value"),
        };

    private JsonElement? Value(string field) =>
        _record.TryGetProperty(field, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    // Bulk writes booleans as true/false and numbers as the REST API's JSON does, in invariant culture.
    private bool CsvBool(BulkRow csv, string field) =>
        csv[field] switch
        {
            null => false,
            "true" => true,
            "false" => false,
            _ => throw Fault(field, "is not true or false"),
        };

    private int? CsvInt(BulkRow csv, string field)
    {
        var text = csv[field];
        if (text is null)
            return null;
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
            return n;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d == Math.Floor(d) && Math.Abs(d) <= int.MaxValue
            ? (int)d
            : throw Fault(field, "is not a whole number");
    }

    private decimal? CsvDecimal(BulkRow csv, string field)
    {
        var text = csv[field];
        if (text is null)
            return null;
        return decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : throw Fault(field, "is not a number");
    }

    private SalesforceRowException Fault(string field, string problem)
    {
        var id = _csv is { } csv ? csv["Id"]
            : _record.ValueKind == JsonValueKind.Object && _record.TryGetProperty("Id", out var idValue) && idValue.ValueKind == JsonValueKind.String ? idValue.GetString()
            : null;
        return new SalesforceRowException($"{_objectName} {id ?? "(no Id)"}: {field} {problem}.");
    }
}

/// <summary>A record the sync cannot use; it is counted and reported, never stored.</summary>
public sealed class SalesforceRowException(string message) : Exception(message);
