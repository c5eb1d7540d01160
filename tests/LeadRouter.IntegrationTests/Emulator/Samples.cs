using System.Text.Json;
using LeadRouter.Testing;

namespace LeadRouter.IntegrationTests.Emulator;

/// <summary>Recorded real Salesforce responses, read from ../shared (never copied into the repository).</summary>
internal static class Samples
{
    /// <summary>The sample's JSON; the test is ignored when the shared samples are not there.</summary>
    public static JsonElement Read(string fileName)
    {
        var path = Path.Combine(RepoPaths.SalesforceSamples, fileName);
        if (!File.Exists(path))
            Assert.Ignore($"Recorded Salesforce sample missing: {path}");
        return JsonDocument.Parse(File.ReadAllText(path)).RootElement.Clone();
    }

    /// <summary>Asserts the emulator answered exactly the recorded body (same keys and values, any layout).</summary>
    public static void AssertSameBody(JsonElement actual, string fileName) =>
        Assert.That(JsonElement.DeepEquals(actual, Read(fileName)), Is.True, $"body {actual} differs from recorded {fileName}");
}
