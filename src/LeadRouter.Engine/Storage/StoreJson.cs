using System.Text.Json;

namespace LeadRouter.Storage;

internal static class StoreJson
{
    /// <summary>Rejects text that is not JSON before it is stored, naming what and where.</summary>
    public static void Validate(string? json, string what)
    {
        if (json is null)
            throw new ArgumentException($"{what}: JSON is required.");
        try
        {
            using var document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"{what}: not valid JSON ({e.Message}).", e);
        }
    }
}
