using System.Globalization;
using System.Text.Json;

namespace LeadRouter.SalesforceEmulator.Data;

/// <summary>
/// Salesforce's wire formats for record values: datetimes as "2024-01-31T10:00:00.000+0000" (UTC),
/// dates as "2024-01-31". Used by the org file and by the HTTP layer to write query rows and records.
/// </summary>
public static class SalesforceJson
{
    private const string DateTimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'+0000'";
    private const string DateFormat = "yyyy-MM-dd";

    /// <summary>"yyyy-MM-ddTHH:mm:ss.fff+0000" in UTC, as the REST API returns datetimes.</summary>
    public static string FormatDateTime(DateTimeOffset value) => value.UtcDateTime.ToString(DateTimeFormat, CultureInfo.InvariantCulture);

    public static string FormatDate(DateOnly value) => value.ToString(DateFormat, CultureInfo.InvariantCulture);

    /// <summary>
    /// Writes a record value: string, bool, int, long, double, decimal, DateOnly, DateTimeOffset, null,
    /// or a nested row (relationship) as an object in its own key order.
    /// </summary>
    public static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null: writer.WriteNullValue(); break;
            case string s: writer.WriteStringValue(s); break;
            case bool b: writer.WriteBooleanValue(b); break;
            case int i: writer.WriteNumberValue(i); break;
            case long l: writer.WriteNumberValue(l); break;
            case double d: writer.WriteNumberValue(d); break;
            case decimal m: writer.WriteNumberValue(m); break;
            case DateOnly date: WriteFormatted(writer, date.ToDateTime(TimeOnly.MinValue), DateFormat); break;
            case DateTimeOffset dateTime: WriteFormatted(writer, dateTime.UtcDateTime, DateTimeFormat); break;
            case IEnumerable<KeyValuePair<string, object?>> nested:
                writer.WriteStartObject();
                foreach (var (name, nestedValue) in nested)
                {
                    writer.WritePropertyName(name);
                    WriteValue(writer, nestedValue);
                }
                writer.WriteEndObject();
                break;
            default:
                throw new ArgumentException($"Cannot write a value of type {value.GetType().Name} as a Salesforce field.", nameof(value));
        }
    }

    // Formats on the stack: the org file writes millions of these.
    private static void WriteFormatted(Utf8JsonWriter writer, DateTime value, string format)
    {
        Span<char> text = stackalloc char[32];
        value.TryFormat(text, out var length, format, CultureInfo.InvariantCulture);
        writer.WriteStringValue(text[..length]);
    }

    /// <summary>Parses YYYY-MM-DD exactly (by hand: org files hold millions of dates).</summary>
    public static bool TryParseDate(ReadOnlySpan<char> text, out DateOnly date)
    {
        date = default;
        if (text.Length != 10 || text[4] != '-' || text[7] != '-' || !TryTwoDigits(text, out var century)
            || !TryTwoDigits(text[2..], out var yearOfCentury) || !TryTwoDigits(text[5..], out var month) || !TryTwoDigits(text[8..], out var day))
            return false;
        var year = century * 100 + yearOfCentury;
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
            return false;
        date = new DateOnly(year, month, day);
        return true;
    }

    /// <summary>
    /// Parses YYYY-MM-DDThh:mm:ss with optional fraction and a zone of Z, ±hh:mm or ±hhmm
    /// (Salesforce's "+0000" form); returns the instant in UTC.
    /// </summary>
    public static bool TryParseDateTime(ReadOnlySpan<char> text, out DateTimeOffset value)
    {
        value = default;
        if (text.Length < 20 || text[10] != 'T' || !TryParseDate(text[..10], out var date)
            || !TryTwoDigits(text[11..], out var hour) || text[13] != ':' || !TryTwoDigits(text[14..], out var minute)
            || text[16] != ':' || !TryTwoDigits(text[17..], out var second) || hour > 23 || minute > 59 || second > 59)
            return false;
        var rest = text[19..];
        long fractionTicks = 0;
        if (rest.Length > 0 && rest[0] == '.')
        {
            var digits = 1;
            while (digits < rest.Length && char.IsAsciiDigit(rest[digits]))
                digits++;
            if (digits == 1 || digits > 8)
                return false;
            var scale = 1_000_000L;
            for (var i = 1; i < digits; i++, scale /= 10)
                fractionTicks += (rest[i] - '0') * scale;
            rest = rest[digits..];
        }
        if (!TryParseOffset(rest, out var offset))
            return false;
        var local = date.ToDateTime(new TimeOnly(hour, minute, second)).AddTicks(fractionTicks);
        value = new DateTimeOffset(local - offset, TimeSpan.Zero);
        return true;
    }

    private static bool TryParseOffset(ReadOnlySpan<char> zone, out TimeSpan offset)
    {
        offset = TimeSpan.Zero;
        if (zone is "Z")
            return true;
        if (zone.Length is not (5 or 6) || (zone[0] != '+' && zone[0] != '-') || !TryTwoDigits(zone[1..], out var hours))
            return false;
        var minutesAt = zone.Length == 6 ? 4 : 3;
        if ((zone.Length == 6 && zone[3] != ':') || !TryTwoDigits(zone[minutesAt..], out var minutes) || hours > 14 || minutes > 59)
            return false;
        offset = new TimeSpan(hours, minutes, 0) * (zone[0] == '-' ? -1 : 1);
        return true;
    }

    private static bool TryTwoDigits(ReadOnlySpan<char> text, out int value)
    {
        value = 0;
        if (text.Length < 2 || !char.IsAsciiDigit(text[0]) || !char.IsAsciiDigit(text[1]))
            return false;
        value = (text[0] - '0') * 10 + (text[1] - '0');
        return true;
    }
}
