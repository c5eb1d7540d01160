using System.Collections;
using System.Globalization;
using System.Text.Json;
using LeadRouter.SalesforceEmulator.Data;

namespace LeadRouter.SalesforceEmulator.Http;

/// <summary>Writes record values in Salesforce's wire format.</summary>
internal static class SalesforceJson
{
    /// <summary>Salesforce's datetime format, always in UTC: 2013-04-04T20:52:22.000+0000.</summary>
    public static string FormatDateTime(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+0000'", CultureInfo.InvariantCulture);

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
            case DateOnly date: writer.WriteStringValue(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)); break;
            case DateTimeOffset moment: writer.WriteStringValue(FormatDateTime(moment)); break;
            case IEnumerable<KeyValuePair<string, object?>> map: WriteObject(writer, map); break;
            case IEnumerable list:
                writer.WriteStartArray();
                foreach (var item in list)
                    WriteValue(writer, item);
                writer.WriteEndArray();
                break;
            default:
                throw new InvalidOperationException($"Cannot write a {value.GetType().Name} as a Salesforce field value.");
        }
    }

    public static void WriteObject(Utf8JsonWriter writer, IEnumerable<KeyValuePair<string, object?>> fields)
    {
        writer.WriteStartObject();
        foreach (var (name, value) in fields)
        {
            writer.WritePropertyName(name);
            WriteValue(writer, value);
        }
        writer.WriteEndObject();
    }

    /// <summary>A stored record as GET /sobjects/{type}/{id} returns it: attributes first, then its fields.</summary>
    public static void WriteRecord(
        Utf8JsonWriter writer, string objectName, string version, string id, IEnumerable<KeyValuePair<string, object?>> fields)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("attributes");
        writer.WriteString("type", objectName);
        writer.WriteString("url", $"/services/data/v{version}/sobjects/{objectName}/{id}");
        writer.WriteEndObject();
        foreach (var (name, value) in fields)
        {
            writer.WritePropertyName(name);
            WriteValue(writer, value);
        }
        writer.WriteEndObject();
    }

    /// <summary>Salesforce's error body: a JSON array of {message, errorCode, fields}.</summary>
    public static void WriteErrors(Utf8JsonWriter writer, SalesforceFault fault)
    {
        writer.WriteStartArray();
        writer.WriteStartObject();
        writer.WriteString("message", fault.Message);
        writer.WriteString("errorCode", fault.ErrorCode);
        if (fault.Fields.Count > 0)
        {
            writer.WriteStartArray("fields");
            foreach (var field in fault.Fields)
                writer.WriteStringValue(field);
            writer.WriteEndArray();
        }
        writer.WriteEndObject();
        writer.WriteEndArray();
    }
}

/// <summary>A response whose JSON body is streamed straight to the client with Utf8JsonWriter.</summary>
internal sealed class JsonBodyResult(int statusCode, Action<Utf8JsonWriter> writeBody) : IResult
{
    public int StatusCode => statusCode;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = statusCode;
        httpContext.Response.ContentType = "application/json;charset=UTF-8";
        await using (var writer = new Utf8JsonWriter(httpContext.Response.BodyWriter))
            writeBody(writer);
        await httpContext.Response.BodyWriter.FlushAsync(httpContext.RequestAborted);
    }

    /// <summary>An error response in Salesforce's array shape.</summary>
    public static JsonBodyResult Error(SalesforceFault fault) => new(fault.HttpStatus, w => SalesforceJson.WriteErrors(w, fault));

    public static JsonBodyResult Error(int status, string errorCode, string message, IReadOnlyList<string>? fields = null) =>
        Error(new SalesforceFault(status, errorCode, message, fields));
}
