using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace LeadRouter.Rules;

/// <summary>One problem in a rules file: where (1-based line and column, JSON path) and what is wrong.</summary>
public sealed record RulesError(string Source, int Line, int Column, string Path, string Message)
{
    public override string ToString() => $"{Source}({Line},{Column}): {Path}: {Message}";
}

/// <summary>Either valid rules or every error found in the file, never both.</summary>
public sealed record RulesLoadResult(RoutingRules? Rules, IReadOnlyList<RulesError> Errors)
{
    public bool IsValid => Rules is not null;

    /// <summary>The rules, or a <see cref="RulesValidationException"/> listing every error.</summary>
    public RoutingRules RulesOrThrow() => Rules ?? throw new RulesValidationException(Errors[0].Source, Errors);
}

public sealed class RulesValidationException(string source, IReadOnlyList<RulesError> errors)
    : Exception($"{source}: {errors.Count} error(s) in the routing rules:{Environment.NewLine}{string.Join(Environment.NewLine, errors)}")
{
    public IReadOnlyList<RulesError> Errors { get; } = errors;
}

/// <summary>
/// The routing-rules file sales ops edit: JSON with comments and trailing commas allowed, described by
/// routing-rules.schema.json. Loading checks everything and reports every error at once.
/// </summary>
public static class RulesFile
{
    private static readonly JsonReaderOptions ReaderOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>The JSON Schema (draft 2020-12) of the file, as published beside the example.</summary>
    public static string Schema { get; } = ReadSchema();

    /// <summary>
    /// The property names accepted in each kind of object, keyed by the name of the matching
    /// definition in the schema's $defs ("root" is the top level). A test keeps the two in step.
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> KnownFields => RulesReader.KnownFields;

    /// <summary>Reads and checks a rules file; a file that cannot be read is reported as an error, not thrown.</summary>
    public static RulesLoadResult Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new RulesLoadResult(null, [new RulesError(path, 1, 1, "$", $"cannot read the rules file: {e.Message}")]);
        }
        return Parse(text, path);
    }

    public static RulesLoadResult Parse(string json, string sourceName)
    {
        var utf8 = Encoding.UTF8.GetBytes(json);
        JsonPositions positions;
        try
        {
            positions = JsonPositions.Scan(utf8, ReaderOptions, out _);
        }
        catch (JsonException e)
        {
            // A syntax error ends the scan: it is the only error that cannot be reported with the others.
            var message = e.Message.Split(" LineNumber:", 2)[0].TrimEnd();
            var line = (int)(e.LineNumber ?? 0) + 1;
            var column = (int)(e.BytePositionInLine ?? 0) + 1;
            return new RulesLoadResult(null, [new RulesError(sourceName, line, column, "$", $"not valid JSON: {message}")]);
        }

        using var document = JsonDocument.Parse(utf8, new JsonDocumentOptions
        {
            CommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
        });
        var reader = new RulesReader(sourceName, positions);
        var rules = reader.ReadRoot(document.RootElement);
        if (reader.Errors.Count > 0 || rules is null)
        {
            var sorted = reader.Errors.OrderBy(e => e.Line).ThenBy(e => e.Column).ThenBy(e => e.Path, StringComparer.Ordinal).ToList();
            return new RulesLoadResult(null, sorted);
        }
        return new RulesLoadResult(rules with { Hash = Convert.ToHexStringLower(SHA256.HashData(utf8)) }, []);
    }

    private static string ReadSchema()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("LeadRouter.Rules.routing-rules.schema.json")
            ?? throw new InvalidOperationException("The routing-rules schema is not embedded in the engine assembly.");
        using var text = new StreamReader(stream, Encoding.UTF8);
        return text.ReadToEnd();
    }
}
