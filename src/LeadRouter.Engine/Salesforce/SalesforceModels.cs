using System.Text.Json;

namespace LeadRouter.Salesforce;

/// <summary>
/// A child-relationship subquery inside a record, e.g. <c>(SELECT Role FROM OpportunityContactRoles)</c>:
/// Salesforce nests it as {totalSize, done, records}. A null relationship means no children.
/// When <see cref="Done"/> is false Salesforce kept the rest behind a nested nextRecordsUrl, which
/// the client does not follow: query the child object directly when a parent may have many.
/// </summary>
public sealed record ChildRecords<T>(int TotalSize, bool Done, IReadOnlyList<T> Records);

/// <summary>The new field values of one record in a collection update. Field names are API names of the record's own fields.</summary>
/// <param name="UnmodifiedSince">
/// When set, the write happens only if the record was not modified after this moment (Salesforce's
/// If-Unmodified-Since, to the second); otherwise it fails with <see cref="SalesforceErrorCodes.PreconditionFailed"/>.
/// </param>
public sealed record SObjectUpdate(string Id, IReadOnlyDictionary<string, object?> Fields, DateTimeOffset? UnmodifiedSince = null);

/// <summary>A per-record error of an sObject Collections call (these use statusCode, not errorCode).</summary>
public sealed record RecordError(string StatusCode, string Message, IReadOnlyList<string> Fields);

/// <summary>The outcome of one record of a collection update, under the 18-character id that was sent.</summary>
public sealed record RecordSaveResult(string Id, bool Success, IReadOnlyList<RecordError> Errors);

/// <summary>The parts of <c>GET /sobjects/{name}/describe</c> LeadRouter uses to check configured fields.</summary>
public sealed record SObjectDescribe(
    string Name,
    string? Label,
    string? KeyPrefix,
    bool Custom,
    bool Queryable,
    bool Createable,
    bool Updateable,
    IReadOnlyList<SObjectFieldDescribe> Fields)
{
    public SObjectFieldDescribe? FindField(string name) =>
        Fields.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));
}

/// <summary>One field of a describe: its API name, type (id, string, reference, picklist, datetime, ...) and access.</summary>
public sealed record SObjectFieldDescribe(
    string Name,
    string Type,
    string? Label,
    bool Custom,
    bool Nillable,
    bool Createable,
    bool Updateable,
    bool Filterable,
    int Length,
    IReadOnlyList<string>? ReferenceTo,
    string? RelationshipName);

// Wire shapes, read and then turned into the public records above.

internal sealed record QueryPage<T>(int TotalSize, bool Done, string? NextRecordsUrl, List<T>? Records);

internal sealed record ErrorBody(string? ErrorCode, string? Message, List<string>? Fields);

internal sealed record SaveResultBody(string? Id, bool Success, List<SaveErrorBody>? Errors);

/// <summary>One answer of a /composite call; an error body is a list of {errorCode, message, fields}.</summary>
internal sealed record CompositeResultBody(JsonElement Body, int HttpStatusCode, string? ReferenceId);

internal sealed record CompositeResponseBody(List<CompositeResultBody>? CompositeResponse);

internal sealed record SaveErrorBody(string? StatusCode, string? Message, List<string>? Fields);
