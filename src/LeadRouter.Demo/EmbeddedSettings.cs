using LeadRouter.SalesforceEmulator;
using LeadRouter.Storage;

namespace LeadRouter.Demo;

/// <summary>The settings of a worker on embedded defaults, as the demo (and the worker's tests) run it against the emulator.</summary>
public static class EmbeddedSettings
{
    /// <summary>
    /// Salesforce is the emulator at <paramref name="emulator"/> with its well-known test credentials, the
    /// store a SQLite file in <paramref name="folder"/>, the bus in memory; the rules default to the shipped example.
    /// </summary>
    public static Dictionary<string, string?> For(Uri emulator, string folder, string? rulesFile = null) => new(StringComparer.OrdinalIgnoreCase)
    {
        ["LeadRouter:RulesFile"] = rulesFile ?? ExampleRulesFile,
        ["LeadRouter:DigestFolder"] = Path.Combine(folder, "digests"),
        ["LeadRouter:Database:Provider"] = nameof(DatabaseProvider.Sqlite),
        ["LeadRouter:Database:ConnectionString"] = $"Data Source={Path.Combine(folder, "leadrouter.db")}",
        ["LeadRouter:Messaging:Transport"] = "InMemory",
        ["LeadRouter:Salesforce:LoginUrl"] = emulator.ToString(),
        ["LeadRouter:Salesforce:AuthFlow"] = "UsernamePassword",
        ["LeadRouter:Salesforce:ClientId"] = EmulatorOptions.DefaultClientId,
        ["LeadRouter:Salesforce:ClientSecret"] = EmulatorOptions.DefaultClientSecret,
        ["LeadRouter:Salesforce:Username"] = EmulatorOptions.DefaultUsername,
        ["LeadRouter:Salesforce:Password"] = EmulatorOptions.DefaultPassword,
    };

    /// <summary>The example rules shipped beside the binaries.</summary>
    public static string ExampleRulesFile => Path.Combine(AppContext.BaseDirectory, "Rules", "routing-rules.example.jsonc");
}
