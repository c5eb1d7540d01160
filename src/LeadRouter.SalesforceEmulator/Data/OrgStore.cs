using LeadRouter.Org;

namespace LeadRouter.SalesforceEmulator.Data;

// CONTRACT between the SOQL/data work and the HTTP work on the emulator: these public signatures
// stay. Record values are CLR values: string, bool, int, decimal (double/currency fields),
// DateOnly (Salesforce date), DateTimeOffset (datetime, UTC) or null. Insert and Update also accept
// long/double, wire-format strings for dates and datetimes, and JsonElement values.

/// <summary>
/// The emulated org: every record of every sObject type, thread-safe. Reads run concurrently,
/// writes one at a time. SystemModstamp and LastModifiedDate come from the injected clock and
/// strictly increase across the whole store (never below the latest SystemModstamp loaded), so a
/// sync that asks for "SystemModstamp &gt; last seen" never misses a change.
/// </summary>
public sealed partial class OrgStore
{
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.SupportsRecursion);
    private readonly Dictionary<string, ObjectTable> _tables = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, ObjectTable> _tablesByPrefix = new(StringComparer.Ordinal);
    private readonly TimeProvider _clock;
    private DateTimeOffset _lastStamp = DateTimeOffset.MinValue;

    /// <summary>An empty org with the standard objects.</summary>
    public OrgStore(TimeProvider? clock = null)
        : this(new OrgBuilder().Finish(), clock)
    {
    }

    private OrgStore(IReadOnlyList<ObjectTable> tables, TimeProvider? clock)
    {
        _clock = clock ?? TimeProvider.System;
        foreach (var table in tables)
        {
            _tables.Add(table.Name, table);
            _tablesByPrefix.Add(table.KeyPrefix, table);
            foreach (var row in table.Rows)
            {
                if (row[table.SystemModstampOrdinal] is DateTimeOffset stamp && stamp > _lastStamp)
                    _lastStamp = stamp;
            }
        }
        ObjectNames = tables.Select(t => t.Name).ToArray();
    }

    /// <summary>Types the org holds, e.g. "User", "Lead".</summary>
    public IReadOnlyCollection<string> ObjectNames { get; }

    /// <summary>Metadata for /sobjects/{type}/describe and for field validation; null for an unknown type.</summary>
    public SObjectSchema? Describe(string objectName)
    {
        using var _ = ReadLock();
        return _tables.GetValueOrDefault(objectName)?.Schema;
    }

    /// <summary>
    /// One live (not deleted) record by 15- or 18-character id, every field in describe order by API
    /// name; null when absent or deleted (or the type is unknown).
    /// </summary>
    public IReadOnlyDictionary<string, object?>? Get(string objectName, string id)
    {
        var record = GetIncludingDeleted(objectName, id);
        return record is not null && record["IsDeleted"] is false ? record : null;
    }

    /// <summary>Like <see cref="Get"/> but also returns deleted records (IsDeleted true), so a caller can answer ENTITY_IS_DELETED.</summary>
    public IReadOnlyDictionary<string, object?>? GetIncludingDeleted(string objectName, string id)
    {
        using var _ = ReadLock();
        if (!_tables.TryGetValue(objectName, out var table) || !SalesforceId.TryNormalize(id, out var id18))
            return null;
        var row = table.FindRow(id18);
        if (row is null)
            return null;
        var record = new OrderedDictionary<string, object?>(row.Length, StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < row.Length; i++)
            record.Add(table.Field(i).Name, table.Value(row, i));
        return record;
    }

    /// <summary>
    /// Creates a record; returns its new 18-character id. Salesforce fills Id, IsDeleted, the audit
    /// dates, defaults (booleans false, picklist defaults) and derived fields (Name from first and last
    /// name, IsClosed from Status or StageName). A key "attributes" is ignored. Throws
    /// <see cref="SalesforceFault"/> on an unknown type or bad fields and stores nothing then.
    /// </summary>
    public string Insert(string objectName, IReadOnlyDictionary<string, object?> fields) => Insert(objectName, fields, actingUserId: null);

    /// <summary>
    /// Creates a record as <paramref name="actingUserId"/> (the API session's User), as Salesforce does:
    /// that user becomes the OwnerId when none is given, and the CreatedById.
    /// </summary>
    public string Insert(string objectName, IReadOnlyDictionary<string, object?> fields, string? actingUserId)
    {
        _lock.EnterWriteLock();
        try
        {
            var table = RequireTable(objectName);
            var row = table.NewRow(withInsertDefaults: true);
            ApplyFields(table, row, fields, existingId: null);
            if (actingUserId is not null && SalesforceId.TryNormalize(actingUserId, out var userId))
            {
                if (table.TryGetOrdinal("OwnerId", out var owner))
                    row[owner] ??= userId;
                if (table.TryGetOrdinal("CreatedById", out var createdBy))
                    row[createdBy] = userId;
            }
            DerivedFields.Apply(table, row);
            RequireMandatoryFields(table, row, Enumerable.Range(0, row.Length));

            string id;
            do
            {
                id = SalesforceId.Create(table.KeyPrefix, table.NextSequence++);
            }
            while (table.RowById.ContainsKey(id));
            object stamp = NextStamp();
            row[ObjectTable.IdOrdinal] = id;
            row[ObjectTable.IsDeletedOrdinal] = FieldValues.False;
            row[table.CreatedDateOrdinal] = stamp;
            row[table.LastModifiedDateOrdinal] = stamp;
            row[table.SystemModstampOrdinal] = stamp;
            table.RowById.Add(id, table.Rows.Count);
            table.Rows.Add(row);
            return id;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>
    /// Updates fields of a live record and bumps SystemModstamp/LastModifiedDate. An "Id" key equal to
    /// the record's id and "attributes" are ignored. Throws <see cref="SalesforceFault"/> (NOT_FOUND,
    /// ENTITY_IS_DELETED, INVALID_FIELD, ...) and changes nothing then.
    /// </summary>
    public void Update(string objectName, string id, IReadOnlyDictionary<string, object?> fields)
    {
        _lock.EnterWriteLock();
        try
        {
            var table = RequireTable(objectName);
            var (index, current) = RequireLiveRow(table, id);
            var row = (object?[])current.Clone();
            var changed = ApplyFields(table, row, fields, existingId: (string)current[ObjectTable.IdOrdinal]!);
            DerivedFields.Apply(table, row);
            RequireMandatoryFields(table, row, changed);
            object stamp = NextStamp();
            row[table.LastModifiedDateOrdinal] = stamp;
            row[table.SystemModstampOrdinal] = stamp;
            table.Rows[index] = row;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Soft-deletes: IsDeleted true, bumps SystemModstamp; only queryAll sees it afterwards.</summary>
    public void Delete(string objectName, string id)
    {
        _lock.EnterWriteLock();
        try
        {
            var table = RequireTable(objectName);
            var (index, current) = RequireLiveRow(table, id);
            var row = (object?[])current.Clone();
            row[ObjectTable.IsDeletedOrdinal] = FieldValues.True;
            row[table.SystemModstampOrdinal] = NextStamp();
            table.Rows[index] = row;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Loads an org file (see the emulator README, "Org file"); throws <see cref="OrgDataException"/> naming the record and field at fault.</summary>
    public static OrgStore Load(Stream orgFile) => Load(orgFile, clock: null);

    public static OrgStore Load(Stream orgFile, TimeProvider? clock) => new(OrgFile.Read(orgFile), clock);

    /// <summary>Writes every record, deleted ones included, in the org file format <see cref="Load(Stream)"/> reads.</summary>
    public void Save(Stream orgFile)
    {
        using var _ = ReadLock();
        OrgFile.Write(orgFile, _tables.Values);
    }

    /// <summary>
    /// Builds a store from records by type (each with its 18-character "Id"), as the org generator
    /// produces them. Fields missing from a record are null (booleans false). Values are taken as
    /// given (audit fields included), with the same validation as an org file: throws
    /// <see cref="OrgDataException"/> naming the record and field at fault.
    /// </summary>
    public static OrgStore Create(IReadOnlyDictionary<string, IReadOnlyList<IReadOnlyDictionary<string, object?>>> records)
        => Create(records, clock: null);

    public static OrgStore Create(
        IReadOnlyDictionary<string, IReadOnlyList<IReadOnlyDictionary<string, object?>>> records, TimeProvider? clock)
    {
        var builder = new OrgBuilder();
        foreach (var (name, list) in records)
        {
            var objectName = builder.ObjectName(name);
            for (var i = 0; i < list.Count; i++)
                builder.Add(objectName, i, list[i]);
        }
        return new OrgStore(builder.Finish(), clock);
    }

    /// <summary>Holds the read lock until disposed; the SOQL engine reads tables under it.</summary>
    internal ReadScope ReadLock()
    {
        _lock.EnterReadLock();
        return new ReadScope(_lock);
    }

    /// <summary>The table of a type; call under <see cref="ReadLock"/>.</summary>
    internal ObjectTable? Table(string objectName) => _tables.GetValueOrDefault(objectName);

    /// <summary>The table whose key prefix starts <paramref name="id"/>; call under <see cref="ReadLock"/>.</summary>
    internal ObjectTable? TableOf(string id) =>
        id.Length >= 3 && _tablesByPrefix.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(id.AsSpan(0, 3), out var table) ? table : null;

    private ObjectTable RequireTable(string objectName) =>
        _tables.TryGetValue(objectName, out var table)
            ? table
            : throw new SalesforceFault(404, "NOT_FOUND", "The requested resource does not exist");

    private static (int Index, object?[] Row) RequireLiveRow(ObjectTable table, string id)
    {
        if (!SalesforceId.TryNormalize(id, out var id18) || !table.RowById.TryGetValue(id18, out var index))
            throw new SalesforceFault(404, "NOT_FOUND", "The requested resource does not exist");
        var row = table.Rows[index];
        if (row[ObjectTable.IsDeletedOrdinal] is true)
            throw new SalesforceFault(404, "ENTITY_IS_DELETED", "entity is deleted");
        return (index, row);
    }

    /// <summary>Converts and sets the given fields; returns the ordinals set.</summary>
    private List<int> ApplyFields(ObjectTable table, object?[] row, IReadOnlyDictionary<string, object?> fields, string? existingId)
    {
        var changed = new List<int>();
        var readOnly = new List<string>();
        foreach (var (name, value) in fields)
        {
            if (name == "attributes")
                continue;
            if (!table.TryGetOrdinal(name, out var ordinal))
                throw new SalesforceFault(400, "INVALID_FIELD", $"No such column '{name}' on sobject of type {table.Name}", [name]);
            var field = table.Field(ordinal);
            if (ordinal == ObjectTable.IdOrdinal && existingId is not null
                && FieldValues.Unwrap(value, name) is string given && SalesforceId.TryNormalize(given, out var givenId) && givenId == existingId)
                continue;
            if (existingId is null ? !field.Createable : !field.Updateable)
            {
                readOnly.Add(field.Name);
                continue;
            }
            try
            {
                var converted = FieldValues.Convert(field, table.Kind(ordinal), value);
                if (converted is string refId && table.Kind(ordinal) == FieldKind.Reference)
                    RequireReferenceTarget(field, refId);
                row[ordinal] = converted ?? (table.Kind(ordinal) == FieldKind.Boolean ? FieldValues.False : null);
                changed.Add(ordinal);
            }
            catch (FieldValueException e)
            {
                throw new SalesforceFault(400, e.ErrorCode, e.Message, [field.Name]);
            }
        }
        if (readOnly.Count > 0)
        {
            throw new SalesforceFault(400, "INVALID_FIELD_FOR_INSERT_UPDATE",
                $"Unable to create/update fields: {string.Join(", ", readOnly)}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.",
                readOnly);
        }
        return changed;
    }

    // Salesforce refuses a lookup to the wrong kind of record or to one that does not exist.
    private void RequireReferenceTarget(SObjectField field, string id)
    {
        var target = TableOf(id);
        if (target is null || !field.ReferenceTo.Contains(target.Name))
        {
            if (field.ReferenceTo.All(_tables.ContainsKey))
                throw new FieldValueException("FIELD_INTEGRITY_EXCEPTION", $"{field.Name}: id value of incorrect type: {id}");
            return;
        }
        if (target.FindRow(id) is not { } row || row[ObjectTable.IsDeletedOrdinal] is true)
            throw new FieldValueException("INVALID_CROSS_REFERENCE_KEY", $"invalid cross reference id: {id}");
    }

    // An update only answers for the fields it sets: a loaded record may lack a mandatory field.
    private static void RequireMandatoryFields(ObjectTable table, object?[] row, IEnumerable<int> ordinals)
    {
        var missing = new List<string>();
        foreach (var i in ordinals)
        {
            if (row[i] is null && table.IsRequired(i))
                missing.Add(table.Field(i).Name);
        }
        if (missing.Count > 0)
            throw new SalesforceFault(400, "REQUIRED_FIELD_MISSING", $"Required fields are missing: [{string.Join(", ", missing)}]", missing);
    }

    // Salesforce keeps datetimes to the millisecond.
    private DateTimeOffset NextStamp()
    {
        var now = _clock.GetUtcNow().ToUniversalTime();
        now = new DateTimeOffset(now.Ticks - now.Ticks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);
        _lastStamp = now > _lastStamp ? now : _lastStamp.AddMilliseconds(1);
        return _lastStamp;
    }

    internal readonly struct ReadScope(ReaderWriterLockSlim rwLock) : IDisposable
    {
        public void Dispose() => rwLock.ExitReadLock();
    }
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
