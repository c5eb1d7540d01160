using System.Data.Common;
using System.Text.Json;

namespace LeadRouter.Storage;

/// <summary>
/// Reads the columns of the current row left to right, whatever the engine: each table's reader
/// lists its columns in the order its record's constructor takes them.
/// </summary>
internal sealed class RowCursor(DbDataReader reader)
{
    private int _ordinal;

    public void Next() => _ordinal = 0;

    public string Text() => reader.GetString(_ordinal++);

    public string? TextOrNull() => IsNull() ? null : reader.GetString(_ordinal - 1);

    public bool Bool() => reader.GetBoolean(_ordinal++);

    public int? IntOrNull() => IsNull() ? null : reader.GetInt32(_ordinal - 1);

    public decimal? DecimalOrNull() => IsNull() ? null : reader.GetDecimal(_ordinal - 1);

    public DateOnly? DateOrNull() => IsNull() ? null : StoreValues.ReadDate(reader.GetValue(_ordinal - 1));

    public DateTimeOffset Moment() => StoreValues.ReadMoment(reader.GetValue(_ordinal++));

    public DateTimeOffset? MomentOrNull() => IsNull() ? null : StoreValues.ReadMoment(reader.GetValue(_ordinal - 1));

    public Dictionary<string, string?> Fields()
    {
        var json = reader.GetString(_ordinal++);
        var fields = JsonSerializer.Deserialize<Dictionary<string, string?>>(json) ?? [];
        return new Dictionary<string, string?>(fields, StringComparer.OrdinalIgnoreCase);
    }

    private bool IsNull() => reader.IsDBNull(_ordinal++);
}
