using System.Text;
using System.Text.Json;

namespace LeadRouter.Rules;

/// <summary>
/// Where each JSON path starts in the source text, as 1-based line and column. JsonDocument keeps no
/// positions, so one Utf8JsonReader pass records them (property paths at their name, array items at
/// their value). The same pass reports duplicate property names, which JsonDocument accepts silently.
/// </summary>
internal sealed class JsonPositions
{
    private readonly Dictionary<string, long> _offsets = new(StringComparer.Ordinal);
    private readonly List<long> _lineStarts = [0];
    private readonly byte[] _utf8;

    private JsonPositions(byte[] utf8)
    {
        _utf8 = utf8;
        for (var i = 0; i < utf8.Length; i++)
        {
            if (utf8[i] == (byte)'\n')
                _lineStarts.Add(i + 1);
        }
    }

    /// <summary>Properties named twice in the same object, at each repeat.</summary>
    public List<(string Path, int Line, int Column)> Duplicates { get; } = [];

    /// <summary>Scans the text; throws <see cref="JsonException"/> (with line and column) on a syntax error.</summary>
    public static JsonPositions Scan(byte[] utf8, JsonReaderOptions options, out string lastPath)
    {
        var positions = new JsonPositions(utf8);
        var reader = new Utf8JsonReader(utf8, options);
        var containers = new Stack<Container>();
        var pendingProperty = "$";
        lastPath = "$";
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    pendingProperty = RulesPath.Child(containers.Peek().Path, reader.GetString()!);
                    if (!positions._offsets.TryAdd(pendingProperty, reader.TokenStartIndex))
                    {
                        var (line, column) = positions.LineAndColumn(reader.TokenStartIndex);
                        positions.Duplicates.Add((pendingProperty, line, column));
                    }
                    lastPath = pendingProperty;
                    continue;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    containers.Pop();
                    continue;
            }
            string path;
            if (containers.Count == 0)
            {
                path = "$";
                positions._offsets.TryAdd(path, reader.TokenStartIndex);
            }
            else if (containers.Peek().IsArray)
            {
                path = $"{containers.Peek().Path}[{containers.Peek().Count++}]";
                positions._offsets.TryAdd(path, reader.TokenStartIndex);
            }
            else
            {
                path = pendingProperty;
            }
            lastPath = path;
            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                containers.Push(new Container(path, reader.TokenType == JsonTokenType.StartArray));
        }
        return positions;
    }

    /// <summary>The position of <paramref name="path"/>, or of its nearest recorded ancestor (a missing field points at its object).</summary>
    public (int Line, int Column) Of(string path)
    {
        while (!_offsets.ContainsKey(path) && RulesPath.Parent(path) is { } parent)
            path = parent;
        return _offsets.TryGetValue(path, out var offset) ? LineAndColumn(offset) : (1, 1);
    }

    private (int Line, int Column) LineAndColumn(long offset)
    {
        var line = _lineStarts.BinarySearch(offset);
        if (line < 0)
            line = ~line - 1;
        var start = (int)_lineStarts[line];
        var column = Encoding.UTF8.GetCharCount(_utf8, start, (int)offset - start) + 1;
        return (line + 1, column);
    }

    private sealed class Container(string path, bool isArray)
    {
        public string Path { get; } = path;
        public bool IsArray { get; } = isArray;
        public int Count { get; set; }
    }
}

/// <summary>JSON paths as errors show them: $.tiers[1].rules[0].conditions[2].operator.</summary>
internal static class RulesPath
{
    public static string Child(string parent, string property) =>
        property.Length > 0 && char.IsAsciiLetter(property[0]) && property.All(char.IsAsciiLetterOrDigit)
            ? $"{parent}.{property}"
            : $"{parent}['{property.Replace("'", "\\'", StringComparison.Ordinal)}']";

    public static string Item(string parent, int index) => $"{parent}[{index}]";

    public static string? Parent(string path)
    {
        if (path == "$")
            return null;
        var cut = path.EndsWith(']') && !path.EndsWith("']", StringComparison.Ordinal)
            ? path.LastIndexOf('[')
            : path.EndsWith("']", StringComparison.Ordinal) ? path.LastIndexOf("['", StringComparison.Ordinal) : path.LastIndexOf('.');
        return cut <= 0 ? "$" : path[..cut];
    }
}
