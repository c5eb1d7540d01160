using System.Reflection;
using System.Text.Json;
using Json.Schema;
using LeadRouter.Org;
using LeadRouter.Rules;
using LeadRouter.Testing;
using LeadRouter.Trust;

namespace LeadRouter.Tests.Rules;

public class RulesFileTests
{
    private static string RulesFolder => Path.Combine(RepoPaths.Root, "src", "LeadRouter.Core", "Rules");
    private static string ExamplePath => Path.Combine(RulesFolder, "routing-rules.example.jsonc");
    private static string SchemaPath => Path.Combine(RulesFolder, "routing-rules.schema.json");

    // The schema has an $id, which JsonSchema.Net registers globally once: build it once per test run.
    private static readonly Lazy<JsonSchema> Schema = new(() => JsonSchema.FromText(File.ReadAllText(SchemaPath)));

    private static readonly JsonDocumentOptions JsoncOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    [Test]
    public void ExampleFileLoadsClean()
    {
        var result = RulesFile.Load(ExamplePath);

        Assert.That(result.Errors, Is.Empty);
        var rules = result.Rules!;
        Assert.That(rules.Tiers.Select(t => (t.Name, t.Mode)), Is.EqualTo(new[]
        {
            ("A", RoutingMode.AutoAssign), ("B", RoutingMode.Recommend), ("C", RoutingMode.Recommend),
        }));
        Assert.That(rules.Tiers[0].Rules.Select(r => r.Conditions.Single().Field), Is.EqualTo(new[] { "Rating" }));
        Assert.That(rules.Tiers[^1].Rules.Single().IsCatchAll, Is.True);
        Assert.That(rules.Territories.Select(t => t.Name), Is.EqualTo(new[] { "North America", "DACH", "Home country", "Rest of the world" }));
        Assert.That(rules.Territories[2].RepConditions.Single().LeadField, Is.EqualTo("Country"));
        Assert.That(rules.Hash, Has.Length.EqualTo(64));
    }

    [Test]
    public void ExampleTrustSectionHoldsTheDefaultTrustSettings()
    {
        var rules = RulesFile.Load(ExamplePath).Rules!;

        Assert.That(JsonSerializer.Serialize(rules.Trust), Is.EqualTo(JsonSerializer.Serialize(new TrustSettings())));
    }

    [Test]
    public void ExampleFileValidatesAgainstTheSchema()
    {
        var schema = Schema.Value;
        using var example = JsonDocument.Parse(File.ReadAllText(ExamplePath), JsoncOptions);

        var result = schema.Evaluate(example.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });

        Assert.That(result.IsValid, Is.True, string.Join("; ", result.Details?.Where(d => d.Errors is not null)
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")) ?? []));
    }

    [Test]
    public void SchemaRejectsWhatTheLoaderRejects()
    {
        var schema = Schema.Value;
        using var bad = JsonDocument.Parse("""{ "queues": ["Inbound"], "tiers": [{ "name": "C", "rules": [{}], "mode": "Auto" }], "colour": 1 }""");

        Assert.That(schema.Evaluate(bad.RootElement).IsValid, Is.False);
        Assert.That(RulesFile.Parse(bad.RootElement.GetRawText(), "bad").Errors, Has.Count.EqualTo(2));
    }

    [Test]
    public void SchemaIsValidDraft202012AndMatchesTheEmbeddedCopy()
    {
        var text = File.ReadAllText(SchemaPath);
        using var schema = JsonDocument.Parse(text);

        Assert.That(schema.RootElement.GetProperty("$schema").GetString(), Is.EqualTo("https://json-schema.org/draft/2020-12/schema"));
        Assert.That(MetaSchemas.Draft202012.Evaluate(schema.RootElement).IsValid, Is.True);
        Assert.That(RulesFile.Schema, Is.EqualTo(text));
    }

    [Test]
    public void SchemaAndLoaderAcceptTheSameFieldsInEveryObject()
    {
        using var schema = JsonDocument.Parse(File.ReadAllText(SchemaPath));
        var root = schema.RootElement;
        var objects = root.GetProperty("$defs").EnumerateObject()
            .Where(d => d.Value.TryGetProperty("properties", out _))
            .ToDictionary(d => d.Name, d => d.Value);
        objects["root"] = root;

        Assert.That(objects.Keys, Is.EquivalentTo(RulesFile.KnownFields.Keys));
        foreach (var (kind, definition) in objects)
        {
            Assert.That(definition.GetProperty("properties").EnumerateObject().Select(p => p.Name), Is.EquivalentTo(RulesFile.KnownFields[kind]), kind);
            Assert.That(definition.GetProperty("additionalProperties").GetBoolean(), Is.False, kind);
        }
    }

    [Test]
    public void SchemaEnumerationsMatchTheEngine()
    {
        using var schema = JsonDocument.Parse(File.ReadAllText(SchemaPath));
        var root = schema.RootElement;
        var defs = root.GetProperty("$defs");
        static IEnumerable<string?> Enum(JsonElement e) => e.GetProperty("enum").EnumerateArray().Select(v => v.GetString());

        Assert.That(Enum(defs.GetProperty("operator")), Is.EquivalentTo(Conditions.OperatorsByName.Keys));
        Assert.That(Enum(root.GetProperty("properties").GetProperty("policy")), Is.EquivalentTo(System.Enum.GetNames<RoutingPolicy>()));
        Assert.That(Enum(defs.GetProperty("tier").GetProperty("properties").GetProperty("mode")), Is.EquivalentTo(System.Enum.GetNames<RoutingMode>()));
        Assert.That(Enum(defs.GetProperty("userCondition").GetProperty("properties").GetProperty("field")), Is.EquivalentTo(UserFields.All.Keys));
    }

    [Test]
    public void EveryTrustSettingIsMappedInTheRulesFile()
    {
        static IEnumerable<string> CamelCase(Type type) => type
            .GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite)
            .Select(p => char.ToLowerInvariant(p.Name[0]) + p.Name[1..]);

        Assert.That(RulesFile.KnownFields["trust"], Is.EquivalentTo(CamelCase(typeof(TrustSettings))),
            "a TrustSettings property without a field in the rules file (or the reverse): map it in RulesReader.ReadTrust and the schema");
        Assert.That(RulesFile.KnownFields["weights"], Is.EquivalentTo(CamelCase(typeof(ComponentWeights))));
    }

    [Test]
    public void ConditionsMayNameEveryStandardLeadField()
    {
        var leadFields = typeof(Lead).GetProperties().Select(p => p.Name).Where(n => n != nameof(Lead.CustomFields));

        Assert.That(LeadFields.Standard.Keys, Is.EquivalentTo(leadFields));
    }

    [Test]
    public void TrustSectionOverridesDefaults()
    {
        const string json = """
            {
              "queues": ["Inbound"],
              "tiers": [{ "name": "C", "rules": [{}] }],
              "trust": {
                "windowWeeks": 8,
                "weights": { "reviewAttendance": 0.4, "pipelineHonesty": 0.3, "delegation": 0.2, "sellingActivity": 0.1 },
                "nextStepDateField": "Next_Step_Date__c",
                "timeZone": "Europe/Berlin"
              }
            }
            """;

        var trust = RulesFile.Parse(json, "test").Rules!.Trust;

        Assert.That((trust.WindowWeeks, trust.Weights.ReviewAttendance, trust.NextStepDateField, trust.TimeZone, trust.HalfLifeWeeks),
            Is.EqualTo((8, 0.4, "Next_Step_Date__c", "Europe/Berlin", 4.0)));
    }

    [Test]
    public void HashIdentifiesTheExactFileText()
    {
        const string a = """{ "queues": ["Inbound"], "tiers": [{ "name": "C", "rules": [{}] }] }""";
        var b = a.Replace("Inbound", "Web", StringComparison.Ordinal);

        var first = RulesFile.Parse(a, "a").Rules!.Hash;
        var again = RulesFile.Parse(a, "again").Rules!.Hash;
        var changed = RulesFile.Parse(b, "b").Rules!.Hash;

        Assert.That(again, Is.EqualTo(first));
        Assert.That(changed, Is.Not.EqualTo(first));
    }
}
