using System.Data.Common;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace LeadRouter.Storage;

/// <summary>
/// Reads the columns of the current row left to right, whatever the engine: each table's reader
/// lists its columns in the order its record's constructor takes them. Text other than a row's own
/// <see cref="Id"/> (owner ids, statuses, types, subjects) repeats across thousands of rows, so one
/// copy of each distinct value is shared through the snapshot: a twelve-week load stays compact.
/// </summary>
internal sealed class RowCursor(DbDataReader reader, HashSet<string> sharedText)
{
    /// <summary>SQLite keeps moments and dates as fixed-format text (see <see cref="StoreValues"/>).</summary>
    private readonly bool _momentsAsText = reader is SqliteDataReader;

    private int _ordinal;

    /// <summary>Moves to the reader's current row, whose first column is its id.</summary>
    public void Next()
    {
        RowId = reader.GetString(0);
        _ordinal = 1;
    }

    /// <summary>The current row's id (Salesforce's): the snapshot's sort key.</summary>
    public string RowId { get; private set; } = "";

    /// <summary>The row's own Salesforce id, for records that carry it: unique, so not shared.</summary>
    public string Id() => RowId;

    public string Text() => Shared(reader.GetString(_ordinal++));

    public string? TextOrNull() => IsNull() ? null : Shared(reader.GetString(_ordinal - 1));

    public bool Bool() => reader.GetBoolean(_ordinal++);

    public int? IntOrNull() => IsNull() ? null : reader.GetInt32(_ordinal - 1);

    public decimal? DecimalOrNull() => IsNull() ? null : reader.GetDecimal(_ordinal - 1);

    public DateOnly? DateOrNull() => IsNull() ? null : ReadDate(_ordinal - 1);

    public DateTimeOffset Moment() => ReadMoment(_ordinal++);

    public DateTimeOffset? MomentOrNull() => IsNull() ? null : ReadMoment(_ordinal - 1);

    public Dictionary<string, string?> Fields()
    {
        var json = reader.GetString(_ordinal++);
        // The common case, no custom fields in the rules, needs no parse.
        if (json == "{}")
            return new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var fields = JsonSerializer.Deserialize<Dictionary<string, string?>>(json) ?? [];
        return new Dictionary<string, string?>(fields, StringComparer.OrdinalIgnoreCase);
    }

    private DateTimeOffset ReadMoment(int ordinal) =>
        _momentsAsText ? StoreValues.ParseSqliteMoment(reader.GetString(ordinal)) : StoreValues.ReadMoment(reader.GetValue(ordinal));

    private DateOnly ReadDate(int ordinal) =>
        _momentsAsText ? StoreValues.ParseSqliteDate(reader.GetString(ordinal)) : StoreValues.ReadDate(reader.GetValue(ordinal));

    private string Shared(string text)
    {
        if (sharedText.TryGetValue(text, out var shared))
            return shared;
        sharedText.Add(text);
        return text;
    }

    private bool IsNull() => reader.IsDBNull(_ordinal++);
}
