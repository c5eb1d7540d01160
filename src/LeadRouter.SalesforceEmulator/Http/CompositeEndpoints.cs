using System.Text.Json;
using LeadRouter.SalesforceEmulator.Data;

namespace LeadRouter.SalesforceEmulator.Http;

/// <summary>
/// PATCH /composite/sobjects: updates up to 200 records of any types in one call. With
/// allOrNone every record is saved or none is (the others report
/// ALL_OR_NONE_OPERATION_ROLLED_BACK); without it each record succeeds or fails on its own.
/// Answers 200 with one result per record, errors carrying statusCode (not errorCode).
/// </summary>
internal static class CompositeEndpoints
{
    private const int MaxRecords = 200;

    public static void Map(RouteGroupBuilder data, EmulatorState state)
    {
        var writes = new RecordWrites(state);
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
