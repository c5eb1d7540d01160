namespace LeadRouter.SalesforceEmulator.Data;

// CONTRACT between the SOQL/data work and the HTTP work on the emulator. The SOQL/data helper
// replaces every NotImplementedException with the real thing and may add members; the HTTP
// helper codes against these signatures. Record values are CLR values: string, bool, int,
// long, double, decimal, DateOnly (Salesforce date), DateTimeOffset (datetime) or null.

/// <summary>The emulated org: every record of every sObject type, thread-safe.</summary>
public sealed partial class OrgStore
{
    /// <summary>Types the org holds, e.g. "User", "Lead".</summary>
    public IReadOnlyCollection<string> ObjectNames => throw new NotImplementedException();

    /// <summary>Metadata for /sobjects/{type}/describe and for field validation; null for an unknown type.</summary>
    public SObjectSchema? Describe(string objectName) => throw new NotImplementedException();

    /// <summary>One live (not deleted) record by 15- or 18-character id; null when absent or deleted.</summary>
    public IReadOnlyDictionary<string, object?>? Get(string objectName, string id) => throw new NotImplementedException();

    /// <summary>Creates a record; returns its new 18-character id. Throws <see cref="SalesforceFault"/> on bad fields.</summary>
    public string Insert(string objectName, IReadOnlyDictionary<string, object?> fields) => throw new NotImplementedException();

    /// <summary>Updates fields of a live record and bumps SystemModstamp/LastModifiedDate. Throws <see cref="SalesforceFault"/>.</summary>
    public void Update(string objectName, string id, IReadOnlyDictionary<string, object?> fields) => throw new NotImplementedException();

    /// <summary>Soft-deletes: IsDeleted true, bumps SystemModstamp; only queryAll sees it afterwards.</summary>
    public void Delete(string objectName, string id) => throw new NotImplementedException();

    /// <summary>Loads an org file (see docs); throws with the record and field at fault.</summary>
    public static OrgStore Load(Stream orgFile) => throw new NotImplementedException();

    public void Save(Stream orgFile) => throw new NotImplementedException();

    /// <summary>
    /// Builds a store from records by type (each with its 18-character "Id"), as the org generator
    /// produces them. Fields missing from a record are null.
    /// </summary>
    public static OrgStore Create(IReadOnlyDictionary<string, IReadOnlyList<IReadOnlyDictionary<string, object?>>> records)
        => throw new NotImplementedException();
}

public sealed record SObjectSchema(string Name, string KeyPrefix, IReadOnlyList<SObjectField> Fields);

/// <summary>A field as describe reports it. ReferenceTo lists target types of a lookup; RelationshipName e.g. "Owner".</summary>
public sealed record SObjectField(
    string Name,
    string Type,
    bool Nillable,
    bool Updateable,
    bool Createable,
    IReadOnlyList<string> ReferenceTo,
    string? RelationshipName);

/// <summary>A Salesforce error as the REST API reports it: errorCode, message, fields; HTTP status to answer with.</summary>
public sealed class SalesforceFault(int httpStatus, string errorCode, string message, IReadOnlyList<string>? fields = null)
    : Exception(message)
{
    public int HttpStatus { get; } = httpStatus;
    public string ErrorCode { get; } = errorCode;
    public IReadOnlyList<string> Fields { get; } = fields ?? [];
}
