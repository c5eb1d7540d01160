using System.Text.Encodings.Web;
using System.Text.Json;
using LeadRouter.SalesforceEmulator.Data;

namespace LeadRouter.SalesforceEmulator.Http;

/// <summary>A response whose JSON body is streamed straight to the client with Utf8JsonWriter.</summary>
internal sealed class JsonBodyResult(int statusCode, Action<Utf8JsonWriter> writeBody) : IResult
{
    // Salesforce sends text as plain UTF-8 ("Winter '24", "Zoë"), not as \u escapes.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = statusCode;
        httpContext.Response.ContentType = "application/json;charset=UTF-8";
        await using (var writer = new Utf8JsonWriter(httpContext.Response.BodyWriter, WriterOptions))
            writeBody(writer);
        await httpContext.Response.BodyWriter.FlushAsync(httpContext.RequestAborted);
    }

    /// <summary>Salesforce's error body: a JSON array of {message, errorCode, fields?}.</summary>
    public static JsonBodyResult Error(SalesforceFault fault) => new(fault.HttpStatus, w =>
    {
        w.WriteStartArray();
        w.WriteStartObject();
        w.WriteString("message", fault.Message);
        w.WriteString("errorCode", fault.ErrorCode);
        if (fault.Fields.Count > 0)
        {
            w.WriteStartArray("fields");
            foreach (var field in fault.Fields)
                w.WriteStringValue(field);
            w.WriteEndArray();
        }
        w.WriteEndObject();
        w.WriteEndArray();
    });

    public static JsonBodyResult Error(int status, string errorCode, string message, IReadOnlyList<string>? fields = null) =>
        Error(new SalesforceFault(status, errorCode, message, fields));

    /// <summary>A stored record as GET /sobjects/{type}/{id} returns it: attributes {type, url} first, then its fields.</summary>
    public static JsonBodyResult Record(string objectName, string version, string id, IEnumerable<KeyValuePair<string, object?>> fields) =>
        new(StatusCodes.Status200OK, w =>
        {
            w.WriteStartObject();
            w.WriteStartObject("attributes");
            w.WriteString("type", objectName);
            w.WriteString("url", $"/services/data/v{version}/sobjects/{objectName}/{id}");
            w.WriteEndObject();
            foreach (var (name, value) in fields)
            {
                w.WritePropertyName(name);
                SalesforceJson.WriteValue(w, value);
            }
            w.WriteEndObject();
        });
}
