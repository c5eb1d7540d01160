using System.Collections;
using System.Collections.Frozen;
using System.Runtime.CompilerServices;

namespace LeadRouter.SalesforceEmulator.Generation;

/// <summary>The field layout shared by every generated record of one sObject type.</summary>
internal sealed class RecordShape
{
    /// <summary>Id, IsDeleted, CreatedDate, LastModifiedDate, SystemModstamp: the fields every record starts with.</summary>
    public const int CommonFieldCount = 5;

    private readonly FrozenDictionary<string, int> _positions;

    public RecordShape(string objectName, string keyPrefix, string[] ownFields)
    {
        ObjectName = objectName;
        KeyPrefix = keyPrefix;
        Fields = ["Id", "IsDeleted", "CreatedDate", "LastModifiedDate", "SystemModstamp", .. ownFields];
        _positions = Fields.Select((name, i) => KeyValuePair.Create(name, i)).ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }

    public string ObjectName { get; }
    public string KeyPrefix { get; }
    public string[] Fields { get; }

    public bool TryGetPosition(string field, out int position) => _positions.TryGetValue(field, out position);
}

/// <summary>
/// One generated record: a read-only field map whose values sit inline in the record object, laid
/// out by its type's shared <see cref="RecordShape"/>. The large org holds a million and a half
/// records; one object per record (rather than a hash table, or a wrapper and a value array) keeps
/// it in a few hundred megabytes and keeps the garbage collector's work small. Field names match
/// case-insensitively, as Salesforce API names do.
/// </summary>
internal abstract class SObjectRecord : IReadOnlyDictionary<string, object?>
{
    private readonly RecordShape _shape;

    private SObjectRecord(RecordShape shape) => _shape = shape;

    /// <summary>Makes a record from the common fields and the type's own fields in shape order.</summary>
    public static SObjectRecord Create(
        RecordShape shape, string id, object isDeleted, object created, object modified, ReadOnlySpan<object?> ownValues)
    {
        if (ownValues.Length != shape.Fields.Length - RecordShape.CommonFieldCount)
            throw new ArgumentException($"{shape.ObjectName} record has {ownValues.Length} values for its {shape.Fields.Length - RecordShape.CommonFieldCount} fields.", nameof(ownValues));
        SObjectRecord record = shape.Fields.Length switch
        {
            <= 8 => new Record8(shape),
            <= 12 => new Record12(shape),
            <= 16 => new Record16(shape),
            <= 24 => new Record24(shape),
            _ => throw new ArgumentException($"{shape.ObjectName} has more than 24 fields.", nameof(shape)),
        };
        var values = record.Slots;
        values[0] = id;
        values[1] = isDeleted;
        values[2] = created;
        values[3] = values[4] = modified;
        ownValues.CopyTo(values[RecordShape.CommonFieldCount..]);
        return record;
    }

    /// <summary>Storage for at least as many values as the shape has fields.</summary>
    protected abstract Span<object?> Slots { get; }

    public string ObjectName => _shape.ObjectName;

    public object? this[string key] =>
        _shape.TryGetPosition(key, out var i) ? Slots[i] : throw new KeyNotFoundException($"{_shape.ObjectName} has no field '{key}'.");

    public IEnumerable<string> Keys => _shape.Fields;
    public IEnumerable<object?> Values => Slots[..Count].ToArray();
    public int Count => _shape.Fields.Length;

    public bool ContainsKey(string key) => _shape.TryGetPosition(key, out _);

    public bool TryGetValue(string key, out object? value)
    {
        var found = _shape.TryGetPosition(key, out var i);
        value = found ? Slots[i] : null;
        return found;
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
            yield return KeyValuePair.Create(_shape.Fields[i], Slots[i]);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    [InlineArray(8)]
    private struct Slots8
    {
        private object? _slot;
    }

    [InlineArray(12)]
    private struct Slots12
    {
        private object? _slot;
    }

    [InlineArray(16)]
    private struct Slots16
    {
        private object? _slot;
    }

    [InlineArray(24)]
    private struct Slots24
    {
        private object? _slot;
    }

    private sealed class Record8(RecordShape shape) : SObjectRecord(shape)
    {
        private Slots8 _slots;
        protected override Span<object?> Slots => _slots;
    }

    private sealed class Record12(RecordShape shape) : SObjectRecord(shape)
    {
        private Slots12 _slots;
        protected override Span<object?> Slots => _slots;
    }

    private sealed class Record16(RecordShape shape) : SObjectRecord(shape)
    {
        private Slots16 _slots;
        protected override Span<object?> Slots => _slots;
    }

    private sealed class Record24(RecordShape shape) : SObjectRecord(shape)
    {
        private Slots24 _slots;
        protected override Span<object?> Slots => _slots;
    }
}
