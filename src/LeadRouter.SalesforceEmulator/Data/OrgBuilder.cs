namespace LeadRouter.SalesforceEmulator.Data;

/// <summary>
/// Bad org data (an org file or generator records): the one exception every bad org file throws, with a
/// one-line message naming the object, record index and field at fault (or the line of a JSON syntax
/// error). Tools that load org files report the message and exit with code 2 (bad input).
/// </summary>
public sealed class OrgDataException(string message, string? objectName = null, int? recordIndex = null, string? field = null)
    : FormatException(message)
{
    public string? ObjectName { get; } = objectName;

    /// <summary>0-based position of the record in its object's array.</summary>
    public int? RecordIndex { get; } = recordIndex;

    public string? Field { get; } = field;
}

/// <summary>
/// Builds the tables of a new store from records as they stream in (from an org file or from the
/// generator). Standard fields are converted on the spot; values of undeclared custom (__c) fields
/// are kept until the end, when each custom field's type is inferred from all its values.
/// </summary>
internal sealed class OrgBuilder
{
    private readonly Dictionary<string, TableBuilder> _tables = new(StringComparer.OrdinalIgnoreCase);
    private readonly BoxCache _boxes = new();

    public OrgBuilder()
    {
        foreach (var definition in StandardSchema.All)
            _tables.Add(definition.Name, new TableBuilder(new ObjectTable(definition)));
    }

    /// <summary>Returns the canonical object name; throws for an unknown object.</summary>
    public string ObjectName(string name) =>
        _tables.TryGetValue(name, out var table)
            ? table.Table.Name
            : throw new OrgDataException(
                $"Unknown sObject type '{name}'. Known types: {string.Join(", ", _tables.Values.Select(t => t.Table.Name))}.", name);

    /// <summary>The table records of <paramref name="objectName"/> go to (its schema grows custom fields only in <see cref="Finish"/>).</summary>
    public ObjectTable Table(string objectName) => _tables[objectName].Table;

    public void Add(string objectName, int recordIndex, IEnumerable<KeyValuePair<string, object?>> fields)
    {
        var builder = _tables[objectName];
        var table = builder.Table;
        var row = table.NewRow(withInsertDefaults: false);
        foreach (var (name, value) in fields)
        {
            if (name == "attributes")
                continue;
            if (table.TryGetOrdinal(name, out var ordinal))
            {
                // A compound address is built from its components when read: an exported record's copy adds nothing.
                if (table.Kind(ordinal) == FieldKind.Address)
                    continue;
                try
                {
                    row[ordinal] = _boxes.Share(Reference(table, ordinal, FieldValues.Convert(table.Field(ordinal), table.Kind(ordinal), value)));
                }
                catch (FieldValueException e)
                {
                    throw Fault(table.Name, recordIndex, table.Field(ordinal).Name, e.Message);
                }
            }
            else if (name.EndsWith("__c", StringComparison.OrdinalIgnoreCase))
            {
                object? raw;
                try
                {
                    raw = FieldValues.Unwrap(value, name);
                }
                catch (FieldValueException e)
                {
                    throw Fault(table.Name, recordIndex, name, e.Message);
                }
                builder.Custom(name).Add((table.Rows.Count, recordIndex, raw));
            }
            else
            {
                throw Fault(table.Name, recordIndex, name, $"no such field on {table.Name}; custom fields end in __c");
            }
        }
        if (row[ObjectTable.IdOrdinal] is not string id)
            throw Fault(table.Name, recordIndex, "Id", "every record needs its 18-character Id");
        if (!id.StartsWith(table.KeyPrefix, StringComparison.Ordinal))
            throw Fault(table.Name, recordIndex, "Id", $"'{id}' does not start with {table.Name}'s key prefix {table.KeyPrefix}");
        if (!table.RowById.TryAdd(id, table.Rows.Count))
            throw Fault(table.Name, recordIndex, "Id", $"duplicate Id '{id}'");
        table.Rows.Add(row);

        // Lookups must point at the right kind of record (an OwnerId at a User or a queue).
        object? Reference(ObjectTable t, int ordinal, object? converted)
        {
            if (converted is string refId && builder.ReferencePrefixes(ordinal, _tables) is { } prefixes
                && !prefixes.Any(p => refId.StartsWith(p, StringComparison.Ordinal)))
            {
                throw new FieldValueException("FIELD_INTEGRITY_EXCEPTION",
                    $"id '{refId}' is not a {string.Join(" or ", t.Field(ordinal).ReferenceTo)} id");
            }
            return converted;
        }
    }

    /// <summary>Declares the custom fields, converts their values and returns the finished tables.</summary>
    public IReadOnlyList<ObjectTable> Finish()
    {
        foreach (var builder in _tables.Values)
        {
            foreach (var (name, values) in builder.CustomValues)
            {
                var (type, kind) = InferCustomType(builder.Table.Name, name, values);
                var field = new SObjectField(name, type, Nillable: kind != FieldKind.Boolean, true, true, [], null);
                var ordinal = builder.Table.AddCustomField(field);
                foreach (var (rowIndex, recordIndex, raw) in values)
                {
                    try
                    {
                        var converted = FieldValues.Convert(field, kind, raw);
                        if (converted is not null)
                            builder.Table.Rows[rowIndex][ordinal] = converted;
                    }
                    catch (FieldValueException e)
                    {
                        throw Fault(builder.Table.Name, recordIndex, name, e.Message);
                    }
                }
            }
            var table = builder.Table;
            table.NextSequence = table.Rows.Count + 1;
        }
        return _tables.Values.Select(b => b.Table).ToArray();
    }

    /// <summary>
    /// A custom field's type from its values: all booleans → checkbox, all numbers → number, all
    /// YYYY-MM-DD → date, all datetimes → datetime, any other text → text. Booleans or numbers mixed with
    /// other kinds are an error at the first value that disagrees.
    /// </summary>
    private static (string Type, FieldKind Kind) InferCustomType(string objectName, string field, List<(int Row, int Record, object? Raw)> values)
    {
        string? type = null;
        foreach (var (_, record, raw) in values)
        {
            var valueType = raw switch
            {
                null => null,
                bool => "boolean",
                int or long or decimal or double or float => "double",
                DateOnly => "date",
                DateTimeOffset => "datetime",
                string s when SalesforceJson.TryParseDate(s, out _) => "date",
                string s when SalesforceJson.TryParseDateTime(s, out _) => "datetime",
                _ => "string",
            };
            if (valueType is null || valueType == type)
                continue;
            if (type is null)
                type = valueType;
            else if (type is "date" or "datetime" or "string" && valueType is "date" or "datetime" or "string")
                type = "string";
            else
                throw Fault(objectName, record, field, $"value {raw} is a {valueType} but earlier records hold a {type}");
        }
        type ??= "string";
        return (type, FieldValues.KindOf(new SObjectField(field, type, true, true, true, [], null)));
    }

    private static OrgDataException Fault(string objectName, int recordIndex, string field, string problem) =>
        new($"{objectName}[{recordIndex}].{field}: {problem}", objectName, recordIndex, field);

    /// <summary>
    /// Shares boxed values between rows to keep a million-record org small: dates and small numbers
    /// repeat across records, and a record's CreatedDate, LastModifiedDate and SystemModstamp are
    /// usually the same instant.
    /// </summary>
    private sealed class BoxCache
    {
        private const int MaxEntries = 100_000;
        private readonly Dictionary<DateOnly, object> _dates = [];
        private readonly Dictionary<int, object> _ints = [];
        private object? _lastInstant;

        public object? Share(object? value)
        {
            switch (value)
            {
                case DateTimeOffset instant:
                    if (_lastInstant is DateTimeOffset last && last == instant)
                        return _lastInstant;
                    return _lastInstant = value;
                case DateOnly date:
                    return Shared(_dates, date, value);
                case int number:
                    return Shared(_ints, number, value);
                default:
                    return value;
            }
        }

        private static object Shared<T>(Dictionary<T, object> cache, T key, object boxed)
            where T : notnull
        {
            if (cache.TryGetValue(key, out var shared))
                return shared;
            if (cache.Count < MaxEntries)
                cache.Add(key, boxed);
            return boxed;
        }
    }

    private sealed class TableBuilder(ObjectTable table)
    {
        private readonly Dictionary<int, string[]?> _referencePrefixes = [];

        public ObjectTable Table { get; } = table;

        /// <summary>Key prefixes a lookup may point at; null when it is not a lookup or a target type is not emulated.</summary>
        public string[]? ReferencePrefixes(int ordinal, Dictionary<string, TableBuilder> tables)
        {
            if (!_referencePrefixes.TryGetValue(ordinal, out var prefixes))
            {
                var targets = Table.Kind(ordinal) == FieldKind.Reference
                    ? Table.Field(ordinal).ReferenceTo.Select(type => tables.GetValueOrDefault(type)?.Table.KeyPrefix).ToArray()
                    : [];
                prefixes = targets.Length > 0 && targets.All(p => p is not null) ? targets.OfType<string>().ToArray() : null;
                _referencePrefixes[ordinal] = prefixes;
            }
            return prefixes;
        }

        public Dictionary<string, List<(int Row, int Record, object? Raw)>> CustomValues { get; } = new(StringComparer.OrdinalIgnoreCase);

        public List<(int Row, int Record, object? Raw)> Custom(string name)
        {
            if (!CustomValues.TryGetValue(name, out var list))
                CustomValues.Add(name, list = []);
            return list;
        }
    }
}
