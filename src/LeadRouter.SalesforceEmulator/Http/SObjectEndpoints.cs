using System.Text.Json;
using LeadRouter.Org;
using LeadRouter.SalesforceEmulator.Data;

namespace LeadRouter.SalesforceEmulator.Http;

/// <summary>/sobjects: global describe, describe, and single-record read, create, update, delete.</summary>
internal static class SObjectEndpoints
{
    public static void Map(RouteGroupBuilder data, EmulatorState state)
    {
        var writes = new RecordWrites(state);
        data.MapGet("/sobjects", (string version) =>
            new JsonBodyResult(StatusCodes.Status200OK, w => DescribeJson.WriteGlobal(w, state.Store, version)));
        data.MapGet("/sobjects/{type}", (string version, string type) =>
            state.Schema(type) is { } schema
                ? new JsonBodyResult(StatusCodes.Status200OK, w => DescribeJson.WriteBasicInfo(w, schema, version))
                : DataApiFilter.NotFound());
        data.MapGet("/sobjects/{type}/describe", (string version, string type) =>
            state.Schema(type) is { } schema
                ? new JsonBodyResult(StatusCodes.Status200OK, w => DescribeJson.WriteObject(w, state.Store, schema, version))
                : DataApiFilter.NotFound());
        data.MapGet("/sobjects/{type}/{id}", (HttpContext http, string version, string type, string id) =>
            Read(state, version, type, id, http.Request.Query["fields"].ToString()));
        data.MapPost("/sobjects/{type}", async (HttpContext http, string version, string type) =>
        {
            var schema = state.Schema(type) ?? throw UnknownType(type);
            var fields = Fields(await ReadBody(http), schema.Name);
            var id = writes.Insert(schema, fields, RecordWrites.AutoAssignHeader(http), ActingUser(state, DataApiFilter.CurrentSession(http).UserId));
            http.Response.Headers.Location = $"/services/data/v{version}/sobjects/{schema.Name}/{id}";
            return new JsonBodyResult(StatusCodes.Status201Created, w =>
            {
                w.WriteStartObject();
                w.WriteString("id", id);
                w.WriteBoolean("success", true);
                w.WriteStartArray("errors");
                w.WriteEndArray();
                w.WriteEndObject();
            });
        });
        data.MapPatch("/sobjects/{type}/{id}", async (HttpContext http, string type, string id) =>
        {
            var schema = state.Schema(type) ?? throw UnknownType(type);
            var recordId = RecordWrites.RecordId(schema, id);
            var fields = Fields(await ReadBody(http), schema.Name);
            var ifUnmodifiedSince = http.Request.Headers.IfUnmodifiedSince.ToString();
            writes.Update(schema, recordId, fields, RecordWrites.AutoAssignHeader(http),
                ifUnmodifiedSince: ifUnmodifiedSince.Length == 0 ? null : ifUnmodifiedSince);
            return Results.NoContent();
        });
        data.MapDelete("/sobjects/{type}/{id}", (string type, string id) =>
        {
            var schema = state.Schema(type) ?? throw UnknownType(type);
            writes.Delete(schema, RecordWrites.RecordId(schema, id));
            return Results.NoContent();
        });
    }

    private static IResult Read(EmulatorState state, string version, string type, string id, string fieldList)
    {
        if (state.Schema(type) is not { } schema
            || !SalesforceId.TryNormalize(id, out var recordId)
            || state.Store.Get(schema.Name, recordId) is not { } record)
        {
            return DataApiFilter.NotFound();
        }
        IEnumerable<KeyValuePair<string, object?>> fields = record;
        if (!string.IsNullOrWhiteSpace(fieldList))
        {
            var names = fieldList.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var selected = new List<KeyValuePair<string, object?>>();
            foreach (var name in names)
            {
                var field = schema.Fields.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase))
                    ?? throw new SalesforceFault(StatusCodes.Status400BadRequest, "INVALID_FIELD",
                        $"No such column '{name}' on sobject of type {schema.Name}");
                selected.Add(new(field.Name, record.GetValueOrDefault(field.Name)));
            }
            fields = selected;
        }
        return JsonBodyResult.Record(schema.Name, version, recordId, fields);
    }

    /// <summary>
    /// The fields of a JSON record body, values left as JSON for the store to convert and check
    /// against the field types (it names the field at fault). "attributes" and <paramref name="skip"/> are left out.
    /// </summary>
    internal static Dictionary<string, object?> Fields(JsonElement body, string objectName, string? skip = null)
    {
        if (body.ValueKind != JsonValueKind.Object)
            throw new SalesforceFault(StatusCodes.Status400BadRequest, "JSON_PARSER_ERROR",
                $"Expected a JSON object of {objectName} fields, got {body.ValueKind}.");
        var fields = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in body.EnumerateObject())
        {
            if (property.Name != "attributes" && property.Name != skip)
                fields[property.Name] = property.Value;
        }
        return fields;
    }

    // Salesforce makes the running user the owner of a record created without one.
    /// <summary>The session's user when the org holds them: records they create are theirs (OwnerId, CreatedById).</summary>
    private static string? ActingUser(EmulatorState state, string userId) =>
        state.Store.Get("User", userId) is not null ? userId : null;

    internal static SalesforceFault UnknownType(string type) =>
        new(StatusCodes.Status404NotFound, "NOT_FOUND", $"The requested resource does not exist: sObject type '{type}' is not supported.");

    /// <summary>The request body as JSON; malformed JSON is Salesforce's JSON_PARSER_ERROR.</summary>
    internal static async Task<JsonElement> ReadBody(HttpContext http)
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted);
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new SalesforceFault(StatusCodes.Status400BadRequest, "JSON_PARSER_ERROR",
                $"The request body is not valid JSON: {e.Message}");
        }
    }
}
