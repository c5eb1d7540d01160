using System.Collections;
using System.Collections.Frozen;

namespace LeadRouter.SalesforceEmulator.Generation;

/// <summary>The field layout shared by every generated record of one sObject type.</summary>
internal sealed class RecordShape
{
    private readonly FrozenDictionary<string, int> _positions;

    public RecordShape(string objectName, string keyPrefix, string[] fields)
    {
        ObjectName = objectName;
        KeyPrefix = keyPrefix;
        Fields = fields;
        _positions = fields.Select((name, i) => KeyValuePair.Create(name, i))
            .ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }

    public string ObjectName { get; }
    public string KeyPrefix { get; }
    public IReadOnlyList<string> Fields { get; }

    public bool TryGetPosition(string field, out int position) => _positions.TryGetValue(field, out position);
}

/// <summary>
/// One generated record: a read-only field map over a value array laid out by its shared
/// <see cref="RecordShape"/>. A million records cost a value array each instead of a hash table
/// each, which keeps the large org in a few hundred megabytes. Field names match case-insensitively,
/// as Salesforce API names do.
/// </summary>
internal sealed class SObjectRecord : IReadOnlyDictionary<string, object?>
{
    private readonly RecordShape _shape;
    private readonly object?[] _values;

    public SObjectRecord(RecordShape shape, object?[] values)
    {
        if (values.Length != shape.Fields.Count)
            throw new ArgumentException($"{shape.ObjectName} record has {values.Length} values for {shape.Fields.Count} fields.", nameof(values));
        _shape = shape;
        _values = values;
    }

    public string ObjectName => _shape.ObjectName;
    public string Id => (string)_values[0]!;

    public object? this[string key] =>
        _shape.TryGetPosition(key, out var i) ? _values[i] : throw new KeyNotFoundException($"{_shape.ObjectName} has no field '{key}'.");

    public IEnumerable<string> Keys => _shape.Fields;
    public IEnumerable<object?> Values => _values;
    public int Count => _values.Length;

    public bool ContainsKey(string key) => _shape.TryGetPosition(key, out _);

    public bool TryGetValue(string key, out object? value)
    {
        if (_shape.TryGetPosition(key, out var i))
        {
            value = _values[i];
            return true;
        }
        value = null;
        return false;
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < _values.Length; i++)
            yield return KeyValuePair.Create(_shape.Fields[i], _values[i]);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
