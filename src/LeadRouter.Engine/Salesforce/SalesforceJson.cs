using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace LeadRouter.Salesforce;

/// <summary>
/// JSON settings for Salesforce REST bodies: field names as Salesforce spells them (API names),
/// matched case-insensitively on read; datetimes in Salesforce's <c>2013-04-04T20:52:22.000+0000</c>
/// form; dates as <c>yyyy-MM-dd</c> (<see cref="DateOnly"/>, built in). Members a type does not
/// declare, such as each record's <c>attributes</c>, are skipped.
/// </summary>
public static class SalesforceJson
{
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.General)
        {
            PropertyNameCaseInsensitive = true,
            // Nulls are written: sending "Field": null is how a field is cleared.
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        };
        options.Converters.Add(new SalesforceDateTimeConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}

/// <summary>
/// Reads and writes Salesforce datetimes. Writes UTC as <c>yyyy-MM-ddTHH:mm:ss.fff+0000</c>, as the
/// REST API returns them. Reads that form, any other <c>+hhmm</c> offset, <c>+hh:mm</c>, and <c>Z</c>.
/// System.Text.Json applies it to <see cref="Nullable{DateTimeOffset}"/> as well.
/// </summary>
public sealed class SalesforceDateTimeConverter : JsonConverter<DateTimeOffset>
{
    private static readonly string[] Formats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'",
    ];

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
            throw new JsonException($"Expected a Salesforce datetime string, found {reader.TokenType}.");
        var text = reader.GetString()!;
        return TryParse(text, out var value)
            ? value
            : throw new JsonException($"'{text}' is not a Salesforce datetime (expected e.g. 2013-04-04T20:52:22.000+0000).");
    }

    // Written raw because the default encoder would turn '+' into \u002B; the text is digits and -T:.+ only.
    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteRawValue("\"" + Format(value) + "\"", skipInputValidation: true);

    public static string Format(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture) + "+0000";

    public static bool TryParse(string text, out DateTimeOffset value)
    {
        // .NET's zzz wants +hh:mm; Salesforce writes +hhmm. Put the colon in before parsing.
        var n = text.Length;
        if (n > 5 && text[n - 5] is '+' or '-' && char.IsAsciiDigit(text[n - 4]) && char.IsAsciiDigit(text[n - 1]) && text[n - 3] != ':')
            text = string.Concat(text.AsSpan(0, n - 2), ":", text.AsSpan(n - 2));
        return DateTimeOffset.TryParseExact(text, Formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
    }
}
