using System.Globalization;
using LeadRouter.Org;
using LeadRouter.SalesforceEmulator.Data;

namespace LeadRouter.SalesforceEmulator.Http;

/// <summary>
/// Applies record writes to the store with the lock-row fault, and logs each accepted write with
/// the Sforce-Auto-Assign header it came with.
/// </summary>
internal sealed class RecordWrites(EmulatorState state)
{
    public static string? AutoAssignHeader(HttpContext http) =>
        http.Request.Headers.TryGetValue("Sforce-Auto-Assign", out var value) ? value.ToString() : null;

    /// <summary>The 18-character id of a record of this type; throws MALFORMED_ID when it is not one.</summary>
    public static string RecordId(SObjectSchema schema, string? id) =>
        SalesforceId.TryNormalize(id, out var normalized) && normalized.StartsWith(schema.KeyPrefix, StringComparison.Ordinal)
            ? normalized
            : throw new SalesforceFault(StatusCodes.Status400BadRequest, "MALFORMED_ID",
                $"{schema.Name} ID: id value of incorrect type: {id}");

    public static SalesforceFault LockFault(string? id) =>
        new(StatusCodes.Status400BadRequest, "UNABLE_TO_LOCK_ROW",
            id is null ? "unable to obtain exclusive access to this record" : $"unable to obtain exclusive access to this record or 1 records: {id}");

    public string Insert(SObjectSchema schema, Dictionary<string, object?> fields, string? autoAssign, string? actingUserId)
    {
        if (state.Faults.LockRow())
            throw LockFault(id: null);
        var id = state.Store.Insert(schema.Name, fields, actingUserId);
        Log("insert", schema, id, fields, autoAssign);
        return id;
    }

    /// <summary>
    /// Updates one record. <paramref name="lockFaultDecided"/> skips the lock-row roll when the caller
    /// already made it; <paramref name="ifUnmodifiedSince"/> is the request's If-Unmodified-Since header.
    /// </summary>
    public void Update(
        SObjectSchema schema, string id, Dictionary<string, object?> fields, string? autoAssign, bool lockFaultDecided = false, string? ifUnmodifiedSince = null)
    {
        if (!lockFaultDecided && state.Faults.LockRow())
            throw LockFault(id);
        CheckUnmodifiedSince(schema, id, ifUnmodifiedSince);
        state.Store.Update(schema.Name, id, fields);
        Log("update", schema, id, fields, autoAssign);
    }

    /// <summary>
    /// Salesforce's weak validation: the write goes ahead only if the record's LastModifiedDate, to the
    /// second (an HTTP date's precision), is not after the header's date; otherwise 412 Precondition
    /// Failed and nothing changes. A header that is not an HTTP date is 400 Bad Request.
    /// </summary>
    private void CheckUnmodifiedSince(SObjectSchema schema, string id, string? header)
    {
        if (header is null)
            return;
        if (!DateTimeOffset.TryParseExact(header, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var since))
            throw new SalesforceFault(StatusCodes.Status400BadRequest, "INVALID_HEADER_VALUE",
                $"If-Unmodified-Since: '{header}' is not an HTTP date such as Tue, 01 Dec 2026 07:00:00 GMT");
        if (state.Store.Get(schema.Name, id)?.GetValueOrDefault("LastModifiedDate") is DateTimeOffset modified
            && modified.AddTicks(-(modified.Ticks % TimeSpan.TicksPerSecond)) > since)
        {
            throw new SalesforceFault(StatusCodes.Status412PreconditionFailed, "PRECONDITION_FAILED",
                $"The {schema.Name} was modified at {modified.UtcDateTime:R}, after the If-Unmodified-Since date {since.UtcDateTime:R}.");
        }
    }

    public void Delete(SObjectSchema schema, string id)
    {
        if (state.Faults.LockRow())
            throw LockFault(id);
        state.Store.Delete(schema.Name, id);
        Log("delete", schema, id, new Dictionary<string, object?>(), autoAssign: null);
    }

    /// <summary>Logs a saved write with the values the fields now hold (as stored, not as sent).</summary>
    public void Log(string operation, SObjectSchema schema, string id, IReadOnlyDictionary<string, object?> fields, string? autoAssign)
    {
        var stored = state.Store.GetIncludingDeleted(schema.Name, id);
        var values = fields.Keys.ToDictionary(name => name, name => stored?.GetValueOrDefault(name), StringComparer.OrdinalIgnoreCase);
        state.Writes.Add(new RecordedWrite(operation, schema.Name, id, values, autoAssign, state.Now));
    }
}
