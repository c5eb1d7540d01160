using System.Buffers;
using System.Text;
using System.Text.Json;

namespace LeadRouter.Storage;

internal static class StoreJson
{
    /// <summary>Rejects text that is not JSON before it is stored, naming what and where.</summary>
    public static void Validate(string? json, string what)
    {
        if (Problem(json) is { } problem)
            throw new ArgumentException($"{what}: {problem}.");
    }

    /// <summary>
    /// Why the text is not one JSON value, or null when it is. Read token by token over pooled bytes, with no
    /// document built: a large org's run checks a couple of hundred thousand reasons and payloads.
    /// </summary>
    public static string? Problem(string? json)
    {
        if (json is null)
            return "JSON is required";
        var bytes = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(json.Length));
        try
        {
            var reader = new Utf8JsonReader(bytes.AsSpan(0, Encoding.UTF8.GetBytes(json, bytes)));
            while (reader.Read())
            {
            }
            return null;
        }
        catch (JsonException e)
        {
            return $"not valid JSON ({e.Message})";
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }
}
