using System.Text.Json;
using System.Text.RegularExpressions;
using LeadRouter.SalesforceEmulator.Data;

namespace LeadRouter.SalesforceEmulator.Http;

/// <summary>
/// POST /composite: up to 25 subrequests, answered one by one (allOrNone false). The emulator runs
/// PATCH of sObject Rows (/services/data/vNN.N/sobjects/{type}/{id}) with the subrequest's httpHeaders,
/// If-Unmodified-Since included; each answers {body, httpHeaders, httpStatusCode, referenceId}.
/// PATCH /composite/sobjects: updates up to 200 records of any types in one call. With
/// allOrNone every record is saved or none is (the others report
/// ALL_OR_NONE_OPERATION_ROLLED_BACK); without it each record succeeds or fails on its own.
/// Answers 200 with one result per record, errors carrying statusCode (not errorCode).
/// </summary>
internal static partial class CompositeEndpoints
{
    private const int MaxRecords = 200;

    public static void Map(RouteGroupBuilder data, EmulatorState state)
    {
        var writes = new RecordWrites(state);
        MapComposite(data, state, writes);
        data.MapPatch("/composite/sobjects", async (HttpContext http) =>
        {
            var body = await SObjectEndpoints.ReadBody(http);
            var (allOrNone, records) = ReadEnvelope(body);
            var results = allOrNone
                ? UpdateAllOrNone(state, writes, records, RecordWrites.AutoAssignHeader(http))
                : records.Select(r => UpdateOne(state, writes, r, RecordWrites.AutoAssignHeader(http))).ToList();
            return new JsonBodyResult(StatusCodes.Status200OK, w =>
            {
                w.WriteStartArray();
                foreach (var result in results)
                    result.Write(w);
                w.WriteEndArray();
            });
        });
    }

    private const int MaxSubrequests = 25;

    private static void MapComposite(RouteGroupBuilder data, EmulatorState state, RecordWrites writes) =>
        data.MapPost("/composite", async (HttpContext http) =>
        {
            var subrequests = ReadSubrequests(await SObjectEndpoints.ReadBody(http));
            var autoAssign = RecordWrites.AutoAssignHeader(http);
            var answers = subrequests.Select(s => RunSubrequest(state, writes, s, autoAssign)).ToList();
            return new JsonBodyResult(StatusCodes.Status200OK, w =>
            {
                w.WriteStartObject();
                w.WriteStartArray("compositeResponse");
                foreach (var (referenceId, status, fault) in answers)
                {
                    w.WriteStartObject();
                    w.WritePropertyName("body");
                    if (fault is null)
                    {
                        w.WriteNullValue();
                    }
                    else
                    {
                        w.WriteStartArray();
                        w.WriteStartObject();
                        w.WriteString("errorCode", fault.ErrorCode);
                        w.WriteString("message", fault.Message);
                        w.WriteEndObject();
                        w.WriteEndArray();
                    }
                    w.WriteStartObject("httpHeaders");
                    w.WriteEndObject();
                    w.WriteNumber("httpStatusCode", status);
                    w.WriteString("referenceId", referenceId);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            });
        });

    private static List<JsonElement> ReadSubrequests(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object
            || !body.TryGetProperty("compositeRequest", out var subrequests) || subrequests.ValueKind != JsonValueKind.Array)
        {
            throw new SalesforceFault(StatusCodes.Status400BadRequest, "JSON_PARSER_ERROR", "Expected a JSON object with a \"compositeRequest\" array.");
        }
        if (body.TryGetProperty("allOrNone", out var flag) && flag.ValueKind == JsonValueKind.True)
            throw new SalesforceFault(StatusCodes.Status400BadRequest, "NOT_SUPPORTED", "The emulator runs composite requests with allOrNone false only.");
        if (subrequests.GetArrayLength() > MaxSubrequests)
            throw new SalesforceFault(StatusCodes.Status400BadRequest, "LIMIT_EXCEEDED", $"Composite requests can have at most {MaxSubrequests} subrequests.");
        return [.. subrequests.EnumerateArray()];
    }

    private static (string ReferenceId, int Status, SalesforceFault? Fault) RunSubrequest(
        EmulatorState state, RecordWrites writes, JsonElement subrequest, string? autoAssign)
    {
        var referenceId = Text(subrequest, "referenceId") ?? "";
        try
        {
            var url = Text(subrequest, "url") ?? "";
            var match = SObjectRowUrl().Match(url);
            if (Text(subrequest, "method") != "PATCH" || !match.Success)
                throw new SalesforceFault(StatusCodes.Status400BadRequest, "NOT_SUPPORTED", $"The emulator runs PATCH of sObject Rows in composite requests only, not '{url}'.");
            var schema = state.Schema(match.Groups["type"].Value)
                ?? throw new SalesforceFault(StatusCodes.Status404NotFound, "NOT_FOUND", $"sObject type '{match.Groups["type"].Value}' is not supported.");
            var id = RecordWrites.RecordId(schema, match.Groups["id"].Value);
            var fields = SObjectEndpoints.Fields(subrequest.TryGetProperty("body", out var body) ? body : default, schema.Name);
            var ifUnmodifiedSince = subrequest.TryGetProperty("httpHeaders", out var headers) && headers.ValueKind == JsonValueKind.Object
                ? Text(headers, "If-Unmodified-Since")
                : null;
            if (state.Faults.RejectCollectionRecord())
                throw new SalesforceFault(StatusCodes.Status400BadRequest, "FIELD_CUSTOM_VALIDATION_EXCEPTION",
                    "Record rejected by the emulator's collection-failure fault.");
            writes.Update(schema, id, fields, autoAssign, ifUnmodifiedSince: ifUnmodifiedSince);
            return (referenceId, StatusCodes.Status204NoContent, null);
        }
        catch (SalesforceFault fault)
        {
            return (referenceId, fault.HttpStatus, fault);
        }
    }

    [GeneratedRegex(@"^/services/data/v\d+\.\d/sobjects/(?<type>\w+)/(?<id>\w+)$", RegexOptions.CultureInvariant)]
    private static partial Regex SObjectRowUrl();

    private static (bool AllOrNone, List<JsonElement> Records) ReadEnvelope(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object
            || !body.TryGetProperty("records", out var records) || records.ValueKind != JsonValueKind.Array)
        {
            throw new SalesforceFault(StatusCodes.Status400BadRequest, "JSON_PARSER_ERROR",
                "Expected a JSON object with a \"records\" array (and optionally \"allOrNone\").");
        }
        var allOrNone = body.TryGetProperty("allOrNone", out var flag) && flag.ValueKind == JsonValueKind.True;
        if (records.GetArrayLength() > MaxRecords)
            throw new SalesforceFault(StatusCodes.Status400BadRequest, "EXCEEDED_ID_LIMIT",
                $"record limit reached. cannot submit more than {MaxRecords} records into this call");
        return (allOrNone, [.. records.EnumerateArray()]);
    }

    /// <summary>A record ready to save, or the error that stops it.</summary>
    private sealed record Planned(string? Id, SObjectSchema? Schema, Dictionary<string, object?> Fields, SalesforceFault? Error);

    private static Planned Plan(EmulatorState state, JsonElement record)
    {
        string? id = null;
        try
        {
            if (record.ValueKind != JsonValueKind.Object)
                throw new SalesforceFault(StatusCodes.Status400BadRequest, "JSON_PARSER_ERROR", "Each record must be a JSON object.");
            id = Text(record, "id") ?? Text(record, "Id");
            var type = record.TryGetProperty("attributes", out var attributes) && attributes.ValueKind == JsonValueKind.Object
                ? Text(attributes, "type")
                : null;
            if (type is null)
                throw new SalesforceFault(StatusCodes.Status400BadRequest, "INVALID_TYPE", "Each record needs attributes.type, e.g. {\"attributes\":{\"type\":\"Lead\"}}.");
            var schema = state.Schema(type)
                ?? throw new SalesforceFault(StatusCodes.Status400BadRequest, "INVALID_TYPE", $"sObject type '{type}' is not supported.");
            if (id is null)
                throw new SalesforceFault(StatusCodes.Status400BadRequest, "MISSING_ARGUMENT", "Id not specified in an update call");
            id = RecordWrites.RecordId(schema, id);
            var fields = SObjectEndpoints.Fields(record, schema.Name, skip: "id");
            if (state.Faults.LockRow())
                throw RecordWrites.LockFault(id);
            if (state.Faults.RejectCollectionRecord())
                throw new SalesforceFault(StatusCodes.Status400BadRequest, "FIELD_CUSTOM_VALIDATION_EXCEPTION",
                    "Record rejected by the emulator's collection-failure fault.");
            return new Planned(id, schema, fields, null);
        }
        catch (SalesforceFault fault)
        {
            return new Planned(id, null, [], fault);
        }
    }

    private static RecordResult UpdateOne(EmulatorState state, RecordWrites writes, JsonElement record, string? autoAssign)
    {
        var plan = Plan(state, record);
        if (plan.Error is not null)
            return RecordResult.Failed(plan.Id, plan.Error.ErrorCode, plan.Error.Message, plan.Error.Fields);
        try
        {
            writes.Update(plan.Schema!, plan.Id!, plan.Fields, autoAssign, lockFaultDecided: true);
            return RecordResult.Saved(plan.Id!);
        }
        catch (SalesforceFault fault)
        {
            return RecordResult.Failed(plan.Id, fault.ErrorCode, fault.Message, fault.Fields);
        }
    }

    /// <summary>
    /// Checks every record first and saves nothing when one fails. Should the store still refuse
    /// a record midway, the records already saved get their previous values back.
    /// </summary>
    private static List<RecordResult> UpdateAllOrNone(EmulatorState state, RecordWrites writes, List<JsonElement> records, string? autoAssign)
    {
        var plans = records.Select(r => Plan(state, r)).ToList();
        if (plans.All(p => p.Error is null))
        {
            var saved = new List<(Planned Plan, Dictionary<string, object?> Before)>();
            for (var i = 0; i < plans.Count; i++)
            {
                var plan = plans[i];
                var current = state.Store.Get(plan.Schema!.Name, plan.Id!);
                var before = plan.Fields.Keys.ToDictionary(k => k, k => current?.GetValueOrDefault(k));
                try
                {
                    state.Store.Update(plan.Schema.Name, plan.Id!, plan.Fields);
                    saved.Add((plan, before));
                }
                catch (SalesforceFault fault)
                {
                    plans[i] = plan with { Error = fault };
                    break;
                }
            }
            if (saved.Count == plans.Count)
            {
                foreach (var plan in plans)
                    writes.Log("update", plan.Schema!, plan.Id!, plan.Fields, autoAssign);
                return [.. plans.Select(p => RecordResult.Saved(p.Id!))];
            }
            foreach (var (plan, before) in Enumerable.Reverse(saved))
                state.Store.Update(plan.Schema!.Name, plan.Id!, before);
        }
        return [.. plans.Select(p => p.Error is { } error
            ? RecordResult.Failed(p.Id, error.ErrorCode, error.Message, error.Fields)
            : RecordResult.Failed(p.Id, "ALL_OR_NONE_OPERATION_ROLLED_BACK",
                "Record rolled back because not all records were valid and the request was using AllOrNone header", []))];
    }

    private static string? Text(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private sealed record RecordResult(string? Id, bool Success, string? StatusCode, string? Message, IReadOnlyList<string> Fields)
    {
        public static RecordResult Saved(string id) => new(id, true, null, null, []);

        public static RecordResult Failed(string? id, string statusCode, string message, IReadOnlyList<string> fields) =>
            new(id, false, statusCode, message, fields);

        public void Write(Utf8JsonWriter w)
        {
            w.WriteStartObject();
            if (Id is not null)
                w.WriteString("id", Id);
            w.WriteBoolean("success", Success);
            w.WriteStartArray("errors");
            if (!Success)
            {
                w.WriteStartObject();
                w.WriteString("statusCode", StatusCode);
                w.WriteString("message", Message);
                w.WriteStartArray("fields");
                foreach (var field in Fields)
                    w.WriteStringValue(field);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
    }
}
