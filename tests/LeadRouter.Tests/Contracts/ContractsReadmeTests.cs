using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using LeadRouter.Contracts.V1;
using LeadRouter.Testing;
using MassTransit.Serialization;

namespace LeadRouter.Tests.Contracts;

/// <summary>
/// src/LeadRouter.Contracts/README.md documents every message with an example; each example must
/// deserialise into its record with the bus's own JSON settings, with nothing unknown or missing,
/// and carry the MessageId the record computes.
/// </summary>
public sealed class ContractsReadmeTests
{
    private static readonly string ReadmePath = Path.Combine(RepoPaths.Root, "src", "LeadRouter.Contracts", "README.md");

    /// <summary>MassTransit's wire settings, made strict: an unknown, missing or null-for-non-null field fails.</summary>
    private static readonly JsonSerializerOptions Strict = new(SystemTextJsonMessageSerializer.Options)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
    };

    private static IEnumerable<Type> MessageTypes() =>
        typeof(ILeadRouterMessage).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(ILeadRouterMessage).IsAssignableFrom(t))
            .OrderBy(t => t.Name, StringComparer.Ordinal);

    [Test]
    public void The_contracts_are_the_five_documented_messages()
    {
        Assert.That(MessageTypes().Select(t => t.Name), Is.EquivalentTo(new[]
        {
            nameof(RepTrustScored), nameof(LeadAssignmentRecommended), nameof(LeadAssigned),
            nameof(LeadAssignmentSkipped), nameof(WeeklyDigestReady),
        }));
    }

    [TestCaseSource(nameof(MessageTypes))]
    public void The_readme_example_deserialises_into_the_record_with_its_stable_id(Type type)
    {
        var examples = ReadmeExamples();
        Assert.That(examples.ContainsKey(type.Name), Is.True, $"README has no '## {type.Name}' section with a json example");
        var json = examples[type.Name];

        var message = (ILeadRouterMessage)JsonSerializer.Deserialize(json, type, Strict)!;
        var documentedId = JsonNode.Parse(json)!["messageId"]!.GetValue<Guid>();
        var reserialised = JsonSerializer.SerializeToNode(message, type, SystemTextJsonMessageSerializer.Options);

        Assert.Multiple(() =>
        {
            Assert.That(message.MessageId, Is.EqualTo(documentedId), "the documented messageId is not the one the record computes");
            Assert.That(JsonNode.DeepEquals(reserialised, JsonNode.Parse(json)), Is.True,
                $"the example is not what the bus writes for it:\n{reserialised}");
        });
    }

    [Test]
    public void A_field_the_record_does_not_have_fails_the_check()
    {
        var json = JsonNode.Parse(ReadmeExamples()[nameof(LeadAssigned)])!.AsObject();
        json["ownerName"] = "not a field";

        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<LeadAssigned>(json.ToJsonString(), Strict));
    }

    [Test]
    public void A_missing_field_fails_the_check()
    {
        var json = JsonNode.Parse(ReadmeExamples()[nameof(LeadAssigned)])!.AsObject();
        json.Remove("repId");

        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<LeadAssigned>(json.ToJsonString(), Strict));
    }

    /// <summary>The first ```json block under each "## Name" heading.</summary>
    private static Dictionary<string, string> ReadmeExamples()
    {
        var examples = new Dictionary<string, string>(StringComparer.Ordinal);
        string? section = null;
        List<string>? block = null;
        foreach (var line in File.ReadLines(ReadmePath))
        {
            if (block is not null)
            {
                if (line.TrimEnd() == "```")
                {
                    examples.TryAdd(section!, string.Join('\n', block));
                    block = null;
                }
                else
                {
                    block.Add(line);
                }
            }
            else if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                section = line[3..].Trim();
            }
            else if (section is not null && line.TrimEnd() == "```json")
            {
                block = [];
            }
        }
        return examples;
    }
}
