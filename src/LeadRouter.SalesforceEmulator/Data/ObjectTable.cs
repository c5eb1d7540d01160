namespace LeadRouter.SalesforceEmulator.Data;

/// <summary>
/// The records of one sObject type. A row is an object?[] indexed by field ordinal and is never
/// changed once stored: an update stores a changed copy, so a query that captured rows keeps a
/// consistent snapshot without holding the store's lock. Not thread-safe on its own: the
/// <see cref="OrgStore"/> lock guards it.
/// </summary>
internal sealed class ObjectTable
{
    public const int IdOrdinal = 0;
    public const int IsDeletedOrdinal = 1;

    private readonly List<SObjectField> _fields = [];
    private readonly List<FieldKind> _kinds = [];
    private readonly List<object?> _defaults = [];
    private readonly HashSet<int> _defaultedOnCreate = [];
    private readonly Dictionary<string, int> _ordinals = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<int, (string Key, int Ordinal)[]> _addressComponents = [];

    public ObjectTable(ObjectDefinition definition)
    {
        Name = definition.Name;
        KeyPrefix = definition.KeyPrefix;
        foreach (var field in definition.Fields)
        {
            var ordinal = AddField(field.Field, field.DefaultValue);
            if (field.DefaultedOnCreate)
                _defaultedOnCreate.Add(ordinal);
        }
        Schema = BuildSchema();
        foreach (var (ordinal, field) in _fields.Index())
        {
            if (_kinds[ordinal] == FieldKind.Address)
                _addressComponents[ordinal] = AddressComponents(field.Name[..^"Address".Length]);
        }
        CreatedDateOrdinal = _ordinals["CreatedDate"];
        LastModifiedDateOrdinal = _ordinals["LastModifiedDate"];
        SystemModstampOrdinal = _ordinals["SystemModstamp"];
    }

    public string Name { get; }
    public string KeyPrefix { get; }
    public SObjectSchema Schema { get; private set; }
    public int FieldCount => _fields.Count;
    public int CreatedDateOrdinal { get; }
    public int LastModifiedDateOrdinal { get; }
    public int SystemModstampOrdinal { get; }

    /// <summary>Every row, deleted ones included, in insertion order.</summary>
    public List<object?[]> Rows { get; } = [];

    /// <summary>Row position by 18-character id.</summary>
    public Dictionary<string, int> RowById { get; } = new(StringComparer.Ordinal);

    /// <summary>Next sequence number to mint an id with (skipping ids already taken).</summary>
    public long NextSequence { get; set; } = 1;

    public bool TryGetOrdinal(string fieldName, out int ordinal) => _ordinals.TryGetValue(fieldName, out ordinal);

    public SObjectField Field(int ordinal) => _fields[ordinal];

    public FieldKind Kind(int ordinal) => _kinds[ordinal];

    /// <summary>
    /// A field's value as Salesforce returns it: the stored value, or for a compound address the map of its
    /// components in REST's (alphabetical) order, null when every component is.
    /// </summary>
    public object? Value(object?[] row, int ordinal)
    {
        if (_kinds[ordinal] != FieldKind.Address)
            return row[ordinal];
        var components = _addressComponents[ordinal];
        if (components.All(c => row[c.Ordinal] is null))
            return null;
        var address = new OrderedDictionary<string, object?>(components.Length);
        foreach (var (key, component) in components)
            address.Add(key, row[component]);
        return address;
    }

    /// <summary>A non-nillable field that must be given: createable, with no value Salesforce fills in itself.</summary>
    public bool IsRequired(int ordinal) =>
        !_fields[ordinal].Nillable && _fields[ordinal].Createable && _defaults[ordinal] is null && !_defaultedOnCreate.Contains(ordinal);

    /// <summary>A fresh row: booleans false, picklists at their default, everything else null.</summary>
    public object?[] NewRow(bool withInsertDefaults)
    {
        var row = new object?[_fields.Count];
        for (var i = 0; i < row.Length; i++)
        {
            if (_kinds[i] == FieldKind.Boolean)
                row[i] = withInsertDefaults && _defaults[i] is bool b ? FieldValues.Box(b) : FieldValues.False;
            else if (withInsertDefaults)
                row[i] = _defaults[i];
        }
        return row;
    }

    /// <summary>Declares a custom field (from an org file); existing rows gain a null (or false) value for it.</summary>
    public int AddCustomField(SObjectField field)
    {
        var ordinal = AddField(field, null);
        Schema = BuildSchema();
        var filler = _kinds[ordinal] == FieldKind.Boolean ? FieldValues.False : null;
        for (var i = 0; i < Rows.Count; i++)
        {
            var row = Rows[i];
            Array.Resize(ref row, _fields.Count);
            row[ordinal] = filler;
            Rows[i] = row;
        }
        return ordinal;
    }

    public object?[]? FindRow(string id18) => RowById.TryGetValue(id18, out var index) ? Rows[index] : null;

    private int AddField(SObjectField field, object? defaultValue)
    {
        _ordinals.Add(field.Name, _fields.Count);
        _fields.Add(field);
        _kinds.Add(FieldValues.KindOf(field));
        _defaults.Add(defaultValue);
        return _fields.Count - 1;
    }

    private (string Key, int Ordinal)[] AddressComponents(string prefix) =>
        new[] { "City", "Country", "CountryCode", "GeocodeAccuracy", "Latitude", "Longitude", "PostalCode", "State", "StateCode", "Street" }
            .Where(part => _ordinals.ContainsKey(prefix + part))
            .Select(part => (char.ToLowerInvariant(part[0]) + part[1..], _ordinals[prefix + part]))
            .ToArray();

    private SObjectSchema BuildSchema() => new(Name, KeyPrefix, _fields.ToArray());
}
