using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace LeadRouter.Storage;

/// <summary>
/// Reads the columns of the current row left to right, whatever the engine: each table's reader
/// lists its columns in the order its record's constructor takes them. Text other than a row's own
/// <see cref="Id"/> (owner ids, statuses, types, subjects) repeats across thousands of rows, so one
/// copy of each distinct value is shared through the table: a twelve-week load stays compact. Each
/// column keeps its own set, so that a column of a few values (types, statuses) is looked up in a set
/// that stays in the processor's cache. Ids, most of the shared text, are looked up by their packed key
/// (<see cref="PackedId"/>) rather than hashed as strings.
/// </summary>
internal abstract class RowCursor
{
    private static readonly IReadOnlyDictionary<string, string?> NoFields = new Dictionary<string, string?>().AsReadOnly();

    private readonly List<HashSet<string>?> _sharedByColumn = [];
    private readonly List<PackedIdStrings?> _sharedIdsByColumn = [];

    /// <summary>The current row's id (Salesforce's): the snapshot's sort key.</summary>
    public string RowId { get; protected set; } = "";

    /// <summary>The row's own Salesforce id, for records that carry it: unique, so not shared.</summary>
    public string Id() => RowId;

    public abstract string Text();

    public abstract string? TextOrNull();

    public abstract bool Bool();

    public abstract int? IntOrNull();

    public abstract decimal? DecimalOrNull();

    public abstract DateOnly? DateOrNull();

    public abstract DateTimeOffset Moment();

    public abstract DateTimeOffset? MomentOrNull();

    public IReadOnlyDictionary<string, string?> Fields()
    {
        var json = FieldsJson();
        // The common case, no custom fields in the rules, needs no parse and no dictionary per lead.
        if (json == "{}")
            return NoFields;
        var fields = JsonSerializer.Deserialize<Dictionary<string, string?>>(json) ?? [];
        return new Dictionary<string, string?>(fields, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The custom fields column, a JSON object as text.</summary>
    protected abstract string FieldsJson();

    protected string Shared(int column, string text)
    {
        if (PackedId.TryPack(text.AsSpan(), out var key))
            return SharedIds(column).GetOrAdd(key, text);
        var shared = SharedIn(column);
        if (shared.TryGetValue(text, out var copy))
            return copy;
        shared.Add(text);
        return text;
    }

    /// <summary>The shared copy of <paramref name="text"/>, allocating a string only for a value not seen yet.</summary>
    protected string Shared(int column, ReadOnlySpan<char> text)
    {
        var shared = SharedIn(column);
        if (shared.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(text, out var copy))
            return copy;
        copy = text.ToString();
        shared.Add(copy);
        return copy;
    }

    /// <summary>The shared copy of an ASCII id held as UTF-8 bytes, decoded only the first time it is seen.</summary>
    protected string Shared(int column, UInt128 key, ReadOnlySpan<byte> ascii) => SharedIds(column).GetOrAdd(key, ascii);

    private PackedIdStrings SharedIds(int column)
    {
        while (_sharedIdsByColumn.Count <= column)
            _sharedIdsByColumn.Add(null);
        return _sharedIdsByColumn[column] ??= new PackedIdStrings();
    }

    private HashSet<string> SharedIn(int column)
    {
        while (_sharedByColumn.Count <= column)
            _sharedByColumn.Add(null);
        return _sharedByColumn[column] ??= new HashSet<string>(StringComparer.Ordinal);
    }
}

/// <summary>A row cursor over an ADO.NET reader: PostgreSQL and SQL Server, which keep moments and dates as such.</summary>
internal sealed class DataReaderRowCursor(DbDataReader reader) : RowCursor
{
    private int _ordinal;

    /// <summary>Moves to the reader's current row, whose first column is its id.</summary>
    public void Next()
    {
        RowId = reader.GetString(0);
        _ordinal = 1;
    }

    public override string Text() => Shared(_ordinal, reader.GetString(_ordinal++));

    public override string? TextOrNull() => IsNull() ? null : Shared(_ordinal - 1, reader.GetString(_ordinal - 1));

    public override bool Bool() => reader.GetBoolean(_ordinal++);

    public override int? IntOrNull() => IsNull() ? null : reader.GetInt32(_ordinal - 1);

    public override decimal? DecimalOrNull() => IsNull() ? null : reader.GetDecimal(_ordinal - 1);

    public override DateOnly? DateOrNull() => IsNull() ? null : StoreValues.ReadDate(reader.GetValue(_ordinal - 1));

    public override DateTimeOffset Moment() => StoreValues.ReadMoment(reader.GetValue(_ordinal++));

    public override DateTimeOffset? MomentOrNull() => IsNull() ? null : StoreValues.ReadMoment(reader.GetValue(_ordinal - 1));

    protected override string FieldsJson() => reader.GetString(_ordinal++);

    private bool IsNull() => reader.IsDBNull(_ordinal++);
}

/// <summary>
/// A row cursor straight over a SQLite statement: each value is read as the UTF-8 bytes SQLite holds,
/// and repeated text, moments and dates are decoded without a string per value. Through
/// Microsoft.Data.Sqlite's reader, a snapshot of a million activities spent most of its time in
/// per-value wrappers and allocations (see scripts/bench.sh).
/// </summary>
[SkipLocalsInit]
internal sealed class SqliteRowCursor(SQLitePCL.sqlite3_stmt statement) : RowCursor
{
    /// <summary>Longer values (subjects, custom fields) are decoded into a rented array instead of the stack.</summary>
    private const int StackChars = 256;

    private int _column;

    /// <summary>Steps to the next row; false after the last.</summary>
    public bool Next()
    {
        var step = SQLitePCL.raw.sqlite3_step(statement);
        if (step == SQLitePCL.raw.SQLITE_DONE)
            return false;
        if (step != SQLitePCL.raw.SQLITE_ROW)
            throw new InvalidOperationException(
                $"SQLite failed reading the store: {SQLitePCL.raw.sqlite3_errmsg(SQLitePCL.raw.sqlite3_db_handle(statement)).utf8_to_string()}");
        RowId = Encoding.UTF8.GetString(Bytes(0));
        _column = 1;
        return true;
    }

    public override string Text() => SharedText(_column++);

    public override string? TextOrNull() => IsNull() ? null : SharedText(_column - 1);

    public override bool Bool() => SQLitePCL.raw.sqlite3_column_int(statement, _column++) != 0;

    public override int? IntOrNull() => IsNull() ? null : SQLitePCL.raw.sqlite3_column_int(statement, _column - 1);

    public override decimal? DecimalOrNull()
    {
        if (IsNull())
            return null;
        Span<char> text = stackalloc char[64];
        return decimal.Parse(Chars(_column - 1, text), NumberStyles.Number, CultureInfo.InvariantCulture);
    }

    public override DateOnly? DateOrNull()
    {
        if (IsNull())
            return null;
        Span<char> text = stackalloc char[32];
        return StoreValues.ParseSqliteDate(Chars(_column - 1, text));
    }

    public override DateTimeOffset Moment()
    {
        Span<char> text = stackalloc char[32];
        return StoreValues.ParseSqliteMoment(Chars(_column++, text));
    }

    public override DateTimeOffset? MomentOrNull()
    {
        if (IsNull())
            return null;
        Span<char> text = stackalloc char[32];
        return StoreValues.ParseSqliteMoment(Chars(_column - 1, text));
    }

    protected override string FieldsJson() => Encoding.UTF8.GetString(Bytes(_column++));

    private string SharedText(int column)
    {
        var bytes = Bytes(column);
        if (PackedId.TryPack(bytes, out var key))
            return Shared(column, key, bytes);
        if (bytes.Length > StackChars)
            return Shared(column, Encoding.UTF8.GetString(bytes));
        Span<char> text = stackalloc char[StackChars];
        return Shared(column, text[..Encoding.UTF8.GetChars(bytes, text)]);
    }

    /// <summary>A short value (a moment, a date, a number) as characters in <paramref name="buffer"/>.</summary>
    private ReadOnlySpan<char> Chars(int column, Span<char> buffer)
    {
        var bytes = Bytes(column);
        // Longer than any value the store writes there: the parser rejects it with its own error.
        return bytes.Length > buffer.Length ? Encoding.UTF8.GetString(bytes) : buffer[..Encoding.UTF8.GetChars(bytes, buffer)];
    }

    /// <summary>The value's text as SQLite holds it (column_blob reads text without converting it).</summary>
    private ReadOnlySpan<byte> Bytes(int column) => SQLitePCL.raw.sqlite3_column_blob(statement, column);

    private bool IsNull() => SQLitePCL.raw.sqlite3_column_type(statement, _column++) == SQLitePCL.raw.SQLITE_NULL;
}
