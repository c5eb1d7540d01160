using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace LeadRouter.SalesforceEmulator.Data;

/// <summary>
/// The org file: one JSON object mapping each sObject type to an array of records in REST shape
/// (see the emulator README). Read streams the file record by record, so a 1M-record org never sits
/// in memory as a JSON document; Write streams it back out.
/// </summary>
internal static class OrgFile
{
    private const int FlushThreshold = 1 << 20;

    public static IReadOnlyList<ObjectTable> Read(Stream stream)
    {
        var builder = new OrgBuilder();
        var json = new JsonChunks(stream);
        json.Run((ref Utf8JsonReader r) =>
        {
            if (!r.Read())
                return false;
            return r.TokenType == JsonTokenType.StartObject
                ? true
                : throw new OrgDataException("The org file must be one JSON object mapping sObject types to arrays of records.");
        });
        var values = new ValueReader();
        while (true)
        {
            string? objectName = null;
            var end = false;
            json.Run((ref Utf8JsonReader r) =>
            {
                if (!r.Read())
                    return false;
                if (r.TokenType == JsonTokenType.EndObject)
                    return end = true;
                var name = r.GetString()!;
                if (!r.Read())
                    return false;
                if (r.TokenType != JsonTokenType.StartArray)
                    throw new OrgDataException($"'{name}' must map to an array of records.", name);
                objectName = builder.ObjectName(name);
                return true;
            });
            if (end)
                break;

            var table = builder.Table(objectName!);
            var index = 0;
            var arrayDone = false;
            while (!arrayDone)
            {
                json.Run((ref Utf8JsonReader r) =>
                {
                    values.Fields.Clear();
                    if (!r.Read())
                        return false;
                    if (r.TokenType == JsonTokenType.EndArray)
                        return arrayDone = true;
                    if (r.TokenType != JsonTokenType.StartObject)
                        throw new OrgDataException($"{objectName}[{index}] must be a JSON object.", objectName, index);
                    return values.TryReadRecord(ref r, table, index);
                });
                if (!arrayDone)
                    builder.Add(objectName!, index++, values.Fields);
            }
        }
        json.RequireEnd();
        return builder.Finish();
    }

    public static void Write(Stream stream, IEnumerable<ObjectTable> tables)
    {
        // Relaxed escaping keeps "+0000" and non-ASCII text readable; the file is data, never embedded in HTML.
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { SkipValidation = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        writer.WriteStartObject();
        foreach (var table in tables)
        {
            var names = Enumerable.Range(0, table.FieldCount).Select(i => JsonEncodedText.Encode(table.Field(i).Name)).ToArray();
            writer.WriteStartArray(table.Name);
            for (var r = 0; r < table.Rows.Count; r++)
            {
                var row = table.Rows[r];
                writer.WriteStartObject();
                for (var i = 0; i < row.Length; i++)
                {
                    // Nulls are left out, except that the first record declares every custom field.
                    if (row[i] is null && (r > 0 || !table.Field(i).Name.EndsWith("__c", StringComparison.Ordinal)))
                        continue;
                    writer.WritePropertyName(names[i]);
                    SalesforceJson.WriteValue(writer, row[i]);
                }
                writer.WriteEndObject();
                if (writer.BytesPending > FlushThreshold)
                    writer.Flush();
            }
            writer.WriteEndArray();
        }
        writer.WriteEndObject();
        writer.Flush();
    }

    /// <summary>
    /// Reads a record's fields as primitives, sharing repeated strings (owner ids, picklist values).
    /// Dates and datetimes of date fields are parsed straight from the UTF-8 bytes: a million-record
    /// org holds millions of them, and a string for each would only be garbage.
    /// </summary>
    private sealed class ValueReader
    {
        private const int MaxPooled = 200_000;
        private readonly Dictionary<string, string> _pool = new(StringComparer.Ordinal);

        public List<KeyValuePair<string, object?>> Fields { get; } = [];

        public bool TryReadRecord(ref Utf8JsonReader r, ObjectTable table, int index)
        {
            while (true)
            {
                if (!r.Read())
                    return false;
                if (r.TokenType == JsonTokenType.EndObject)
                    return true;
                var name = Pooled(ref r);
                if (!r.Read())
                    return false;
                switch (r.TokenType)
                {
                    // The record's attributes (type, url) and compound addresses, which are built from their components.
                    case JsonTokenType.StartObject when name == "attributes" || IsAddress(table, name):
                        if (!r.TrySkip())
                            return false;
                        break;
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        throw new OrgDataException(
                            $"{table.Name}[{index}].{name}: nested values are not supported; give lookups as ids (e.g. OwnerId).",
                            table.Name, index, name);
                    case JsonTokenType.String:
                        Fields.Add(new(name, (table.TryGetOrdinal(name, out var ordinal) ? table.Kind(ordinal) : (FieldKind?)null) switch
                        {
                            FieldKind.Id => r.GetString(),
                            FieldKind.Date or FieldKind.DateTime => DateOrText(ref r),
                            _ => Pooled(ref r),
                        }));
                        break;
                    case JsonTokenType.Number:
                        // A number no CLR type holds (1e400) stays text, for the field's conversion to refuse by name.
                        Fields.Add(new(name, r.TryGetInt64(out var l) ? l : r.TryGetDecimal(out var d) ? d
                            : r.TryGetDouble(out var x) && double.IsFinite(x) ? x : Encoding.UTF8.GetString(r.ValueSpan)));
                        break;
                    case JsonTokenType.True or JsonTokenType.False:
                        Fields.Add(new(name, FieldValues.Box(r.GetBoolean())));
                        break;
                    default:
                        Fields.Add(new(name, null));
                        break;
                }
            }
        }

        private static bool IsAddress(ObjectTable table, string name) =>
            table.TryGetOrdinal(name, out var ordinal) && table.Kind(ordinal) == FieldKind.Address;

        private static object? DateOrText(ref Utf8JsonReader r)
        {
            if (r.ValueIsEscaped || r.HasValueSequence || r.ValueSpan.Length > 40)
                return r.GetString();
            Span<char> chars = stackalloc char[r.ValueSpan.Length];
            var text = chars[..Encoding.UTF8.GetChars(r.ValueSpan, chars)];
            if (SalesforceJson.TryParseDate(text, out var date))
                return date;
            if (SalesforceJson.TryParseDateTime(text, out var dateTime))
                return dateTime;
            return new string(text);
        }

        private string Pooled(ref Utf8JsonReader r)
        {
            if (r.ValueIsEscaped || r.HasValueSequence || r.ValueSpan.Length > 128)
                return r.GetString()!;
            Span<char> chars = stackalloc char[r.ValueSpan.Length];
            var length = Encoding.UTF8.GetChars(r.ValueSpan, chars);
            var lookup = _pool.GetAlternateLookup<ReadOnlySpan<char>>();
            if (lookup.TryGetValue(chars[..length], out var pooled))
                return pooled;
            var text = new string(chars[..length]);
            if (_pool.Count < MaxPooled)
                _pool.Add(text, text);
            return text;
        }
    }

    /// <summary>
    /// Feeds a stream to Utf8JsonReader a buffer at a time. Each step reads a small unit (a token or a
    /// whole record); a step that runs out of data returns false and is retried once more data is in.
    /// </summary>
    private sealed class JsonChunks(Stream stream)
    {
        public delegate bool Step(ref Utf8JsonReader reader);

        private byte[] _buffer = new byte[1 << 16];
        private int _start;
        private int _end;
        private bool _final;
        private bool _started;
        private long _line = 1;
        private JsonReaderState _state = new(new JsonReaderOptions());

        public void Run(Step step)
        {
            while (true)
            {
                var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _final, _state);
                bool done;
                try
                {
                    done = _started && step(ref reader);
                }
                catch (JsonException e)
                {
                    // The reader state carried from buffer to buffer keeps the (0-based) line number in the whole file.
                    var reason = e.Message.Split(" LineNumber:")[0];
                    throw new OrgDataException($"The org file is not valid JSON at line {(e.LineNumber ?? 0) + 1}: {reason}");
                }
                if (done)
                {
                    var consumed = _buffer.AsSpan(_start, (int)reader.BytesConsumed);
                    _line += consumed.Count((byte)'\n');
                    _start += consumed.Length;
                    _state = reader.CurrentState;
                    return;
                }
                if (_final)
                    throw new OrgDataException($"The org file ends early, at line {_line}.");
                Fill();
            }
        }

        public void RequireEnd()
        {
            // Content after the closing brace makes the final Read throw.
            Run((ref Utf8JsonReader r) => r.IsFinalBlock && !r.Read());
        }

        private void Fill()
        {
            if (_start > 0)
            {
                _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
                _end -= _start;
                _start = 0;
            }
            else if (_end == _buffer.Length)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }
            var read = stream.Read(_buffer, _end, _buffer.Length - _end);
            _end += read;
            _final = read == 0;
            if (!_started)
            {
                if (_end < 3 && !_final)
                    return;
                // Skip a UTF-8 byte order mark.
                if (_buffer.AsSpan(0, _end).StartsWith(Encoding.UTF8.Preamble))
                    _start = 3;
                _started = true;
            }
        }
    }
}
