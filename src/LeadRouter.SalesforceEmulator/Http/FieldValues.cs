using System.Globalization;
using System.Text.Json;
using LeadRouter.SalesforceEmulator.Data;

namespace LeadRouter.SalesforceEmulator.Http;

/// <summary>
/// Turns a JSON request body into record values (CLR types per the field's describe type),
/// rejecting unknown and read-only fields the way Salesforce does.
/// </summary>
internal static class FieldValues
{
    /// <summary>
    /// Converts every property except "attributes" (and the keys in <paramref name="skip"/>).
    /// Throws <see cref="SalesforceFault"/> naming the field at fault.
    /// </summary>
    public static Dictionary<string, object?> FromJson(SObjectSchema schema, JsonElement body, bool creating, params string[] skip)
    {
        if (body.ValueKind != JsonValueKind.Object)
            throw new SalesforceFault(StatusCodes.Status400BadRequest, "JSON_PARSER_ERROR",
                $"Expected a JSON object of {schema.Name} fields, got {body.ValueKind}.");
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var property in body.EnumerateObject())
        {
            if (property.Name == "attributes" || skip.Contains(property.Name, StringComparer.OrdinalIgnoreCase))
                continue;
            var field = schema.Fields.FirstOrDefault(f => string.Equals(f.Name, property.Name, StringComparison.OrdinalIgnoreCase))
                ?? throw new SalesforceFault(StatusCodes.Status400BadRequest, "INVALID_FIELD",
                    $"No such column '{property.Name}' on sobject of type {schema.Name}", [property.Name]);
            if (creating ? !field.Createable : !field.Updateable)
                throw new SalesforceFault(StatusCodes.Status400BadRequest, "INVALID_FIELD_FOR_INSERT_UPDATE",
                    $"Unable to create/update fields: {field.Name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.",
                    [field.Name]);
            if (property.Value.ValueKind == JsonValueKind.Null && !field.Nillable)
                throw new SalesforceFault(StatusCodes.Status400BadRequest, "REQUIRED_FIELD_MISSING",
                    $"Required fields are missing: [{field.Name}]", [field.Name]);
            values[field.Name] = Convert(field, property.Value);
        }
        return values;
    }

    private static object? Convert(SObjectField field, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null)
            return null;
        object? converted = field.Type switch
        {
            "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : null,
            "int" => value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var i) ? i : null,
            "double" or "currency" or "percent" => value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var d) ? d : null,
            "date" => value.ValueKind == JsonValueKind.String
                && DateOnly.TryParseExact(value.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                    ? date : null,
            "datetime" => value.ValueKind == JsonValueKind.String && TryParseDateTime(value.GetString()!, out var moment) ? moment : null,
            _ => value.ValueKind == JsonValueKind.String ? value.GetString() : null,
        };
        return converted ?? throw new SalesforceFault(StatusCodes.Status400BadRequest, "JSON_PARSER_ERROR",
            $"Cannot deserialize instance of {field.Type} from {value.ValueKind} value {value.GetRawText()} for field {field.Name}",
            [field.Name]);
    }

    /// <summary>Accepts Salesforce's 2024-05-01T09:30:00.000+0000 and ISO 8601 forms (Z or +00:00).</summary>
    public static bool TryParseDateTime(string text, out DateTimeOffset value)
    {
        // Salesforce writes the offset without a colon (+0000); .NET's parser wants +00:00.
        if (text.Length > 5 && text[^5] is '+' or '-' && text[^4..].All(char.IsAsciiDigit))
            text = string.Concat(text.AsSpan(0, text.Length - 2), ":", text.AsSpan(text.Length - 2));
        return DateTimeOffset.TryParseExact(text, ["yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mm:ssK"],
            CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
    }
}
