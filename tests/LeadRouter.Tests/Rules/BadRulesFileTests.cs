using LeadRouter.Rules;

namespace LeadRouter.Tests.Rules;

/// <summary>Each bad file must fail with exactly one error, at the right line and JSON path, saying what is wrong.</summary>
public class BadRulesFileTests
{
    private static IEnumerable<TestCaseData> BadFiles()
    {
        yield return Case("unknown field", 3, "$.queus", "unknown field 'queus'", """
            {
              "queues": ["Inbound"],
              "queus": ["Web"],
              "tiers": [{ "name": "C", "rules": [{}] }]
            }
            """);
        yield return Case("misspelt field hints the right name", 4, "$.tiers[0].MinTrust", "did you mean 'minTrust'?", """
            {
              "queues": ["Inbound"],
              "tiers": [
                { "name": "C", "MinTrust": 50, "rules": [{}] }
              ]
            }
            """);
        yield return Case("wrong type", 6, "$.tiers[0].minTrust", "expected a number, found the string \"high\"", """
            {
              "queues": ["Inbound"],
              "tiers": [
                {
                  "name": "A",
                  "minTrust": "high",
                  "rules": [{}]
                }
              ]
            }
            """);
        yield return Case("list given as a string", 2, "$.queues", "expected an array, found the string \"Inbound\"", """
            {
              "queues": "Inbound",
              "tiers": [{ "name": "C", "rules": [{}] }]
            }
            """);
        yield return Case("missing required field in a tier", 4, "$.tiers[0]", "missing required field 'rules'", """
            {
              "queues": ["Inbound"],
              "tiers": [
                { "name": "A" }
              ]
            }
            """);
        yield return Case("missing required field at the top", 1, "$", "missing required field 'queues'", """
            {
              "tiers": [{ "name": "C", "rules": [{}] }]
            }
            """);
        yield return Case("unknown operator", 12, "$.tiers[1].rules[0].conditions[2].operator", "unknown operator 'like'", """
            {
              "queues": ["Inbound"],
              "tiers": [
                { "name": "A", "rules": [{ "conditions": [{ "field": "Rating", "operator": "equals", "value": "Hot" }] }] },
                {
                  "name": "B",
                  "rules": [
                    {
                      "conditions": [
                        { "field": "Rating", "operator": "equals", "value": "Warm" },
                        { "field": "Country", "operator": "isNotBlank" },
                        { "field": "Industry", "operator": "like", "value": "Tech%" }
                      ]
                    },
                    {}
                  ]
                }
              ]
            }
            """);
        yield return Case("operator that does not fit the field", 5, "$.tiers[0].rules[0].conditions[0].operator",
            "operator 'contains' does not apply to number field AnnualRevenue", """
            {
              "queues": ["Inbound"],
              "tiers": [
                { "name": "A", "rules": [
                  { "conditions": [{ "field": "AnnualRevenue", "operator": "contains", "value": "1" }] },
                  {}
                ] }
              ]
            }
            """);
        yield return Case("regex that does not compile", 6, "$.tiers[0].rules[0].conditions[0].value", "regular expression does not compile", """
            {
              "queues": ["Inbound"],
              "tiers": [
                {
                  "name": "A",
                  "rules": [{ "conditions": [{ "field": "Company", "operator": "matches", "value": "([a-z" }] }, {}]
                }
              ]
            }
            """);
        yield return Case("trust pattern that does not compile", 5, "$.trust.adminSubjectPattern", "regular expression does not compile", """
            {
              "queues": ["Inbound"],
              "tiers": [{ "name": "C", "rules": [{}] }],
              "trust": {
                "adminSubjectPattern": "(invoice|billing"
              }
            }
            """);
        yield return Case("weights that do not sum to 1", 5, "$.trust.weights", "the weights must sum to 1, they sum to 0.95", """
            {
              "queues": ["Inbound"],
              "tiers": [{ "name": "C", "rules": [{}] }],
              "trust": {
                "weights": { "reviewAttendance": 0.35, "pipelineHonesty": 0.30, "delegation": 0.20, "sellingActivity": 0.10 }
              }
            }
            """);
        yield return Case("lead field that does not exist", 8, "$.tiers[0].rules[0].conditions[0].field", "Lead has no field 'Ratng'", """
            {
              "queues": ["Inbound"],
              "tiers": [
                {
                  "name": "A",
                  "rules": [
                    {
                      "conditions": [{ "field": "Ratng", "operator": "equals", "value": "Hot" }]
                    },
                    {}
                  ]
                }
              ]
            }
            """);
        yield return Case("custom field that is not declared", 7, "$.tiers[0].rules[0].conditions[0].field", "declare custom fields in $.customFields", """
            {
              "queues": ["Inbound"],
              "customFields": ["Region__c"],
              "tiers": [
                {
                  "name": "A",
                  "rules": [{ "conditions": [{ "field": "Segment__c", "operator": "equals", "value": "Enterprise" }] }, {}]
                }
              ]
            }
            """);
        yield return Case("user field that does not exist", 8, "$.territories[0].reps.where[0].field", "User has no field 'Region'", """
            {
              "queues": ["Inbound"],
              "tiers": [{ "name": "C", "rules": [{}] }],
              "territories": [
                {
                  "name": "EMEA",
                  "reps": {
                    "where": [{ "field": "Region", "operator": "equals", "value": "EMEA" }]
                  }
                }
              ]
            }
            """);
        yield return Case("lead field a territory compares with does not exist", 6, "$.territories[0].reps.where[0].leadField", "Lead has no field 'Nation'", """
            {
              "queues": ["Inbound"],
              "tiers": [{ "name": "C", "rules": [{}] }],
              "territories": [
                { "name": "Home", "reps": { "where": [
                  { "field": "Country", "operator": "equals", "leadField": "Nation" }
                ] } }
              ]
            }
            """);
        yield return Case("custom field name with a double underscore", 5, "$.customFields[1]", "no double underscore except the __c suffix", """
            {
              "queues": ["Inbound"],
              "customFields": [
                "Segment__c",
                "Sales__Region__c"
              ],
              "tiers": [{ "name": "C", "rules": [{}] }]
            }
            """);
        yield return Case("custom field name with an underscore before the suffix", 3, "$.customFields[0]", "no underscore before the __c suffix", """
            {
              "queues": ["Inbound"],
              "customFields": ["Region___c"],
              "tiers": [{ "name": "C", "rules": [{}] }]
            }
            """);
        yield return Case("custom field name starting with a digit", 3, "$.customFields[0]", "must start with a letter", """
            {
              "queues": ["Inbound"],
              "customFields": ["2024_Budget__c"],
              "tiers": [{ "name": "C", "rules": [{}] }]
            }
            """);
        yield return Case("duplicate tier names", 5, "$.tiers[1].name", "duplicate tier name 'a'", """
            {
              "queues": ["Inbound"],
              "tiers": [
                { "name": "A", "rules": [{ "conditions": [{ "field": "Rating", "operator": "equals", "value": "Hot" }] }] },
                { "name": "a", "rules": [{}] }
              ]
            }
            """);
        yield return Case("unknown time zone", 6, "$.trust.timeZone", "unknown time zone 'Mars/Olympus_Mons'", """
            {
              "queues": ["Inbound"],
              "tiers": [{ "name": "C", "rules": [{}] }],
              "trust": {
                "windowWeeks": 12,
                "timeZone": "Mars/Olympus_Mons"
              }
            }
            """);
        yield return Case("negative capacity", 4, "$.tiers[0].weeklyCapacity", "-5 is out of range: must be at least 0", """
            {
              "queues": ["Inbound"],
              "tiers": [
                { "name": "C", "weeklyCapacity": -5, "rules": [{}] }
              ]
            }
            """);
        yield return Case("minTrust above 100", 7, "$.tiers[0].minTrust", "120 is out of range: must be between 0 and 100", """
            {
              "queues": ["Inbound"],
              "tiers": [
                {
                  "name": "C",
                  "rules": [{}],
                  "minTrust": 120
                }
              ]
            }
            """);
        yield return Case("catch-all before the end", 4, "$.tiers[0].rules[0]", "must be the last rule of the last tier", """
            {
              "queues": ["Inbound"],
              "tiers": [
                { "name": "A", "rules": [{ "name": "Everything" }] },
                { "name": "C", "rules": [{}] }
              ]
            }
            """);
        yield return Case("unknown policy", 4, "$.policy", "unknown policy 'Random'; use one of TrustWeighted, StrictTrust, RoundRobin", """
            {
              "queues": ["Inbound"],
              "tiers": [{ "name": "C", "rules": [{}] }],
              "policy": "Random"
            }
            """);
        yield return Case("unknown mode", 3, "$.tiers[0].mode", "unknown mode 'Auto'", """
            {
              "queues": ["Inbound"],
              "tiers": [{ "name": "C", "rules": [{}], "mode": "Auto" }]
            }
            """);
        yield return Case("in without values", 8, "$.tiers[0].rules[0].conditions[0]", "missing required field 'values' for operator 'in'", """
            {
              "queues": ["Inbound"],
              "tiers": [
                {
                  "name": "A",
                  "rules": [
                    { "conditions": [
                        { "field": "Country", "operator": "in" }
                    ] },
                    {}
                  ]
                }
              ]
            }
            """);
        yield return Case("number compared with text", 7, "$.tiers[0].rules[0].conditions[0].value", "'ten million' is not a number", """
            {
              "queues": ["Inbound"],
              "tiers": [
                {
                  "name": "A",
                  "rules": [
                    { "conditions": [{ "field": "AnnualRevenue", "operator": "greaterThan", "value": "ten million" }] },
                    {}
                  ]
                }
              ]
            }
            """);
        yield return Case("field given twice", 4, "$.queues", "this field appears twice in the same object", """
            {
              "queues": ["Inbound"],
              "tiers": [{ "name": "C", "rules": [{}] }],
              "queues": ["Web"]
            }
            """);
        yield return Case("line numbers count comments", 9, "$.fairness.weeklyFlor", "unknown field 'weeklyFlor'", """
            // Routing rules
            /* A block comment
               over two lines */
            {
              "queues": ["Inbound"], // a trailing comment
              "tiers": [
                { "name": "C", "rules": [{},], }, // trailing commas are fine
              ],
              "fairness": { "rampWeeks": 4, "weeklyFlor": 2 },
            }
            """);
    }

    private static TestCaseData Case(string name, int line, string path, string message, string json) =>
        new TestCaseData(json, line, path, message).SetName($"BadRulesFile: {name}");

    [TestCaseSource(nameof(BadFiles))]
    public void FailsWithLineAndPath(string json, int line, string path, string message)
    {
        var result = RulesFile.Parse(json, "rules.jsonc");

        Assert.That(result.Rules, Is.Null);
        Assert.That(result.Errors, Has.Count.EqualTo(1), string.Join(Environment.NewLine, result.Errors));
        var error = result.Errors[0];
        Assert.That((error.Line, error.Path), Is.EqualTo((line, path)), error.ToString());
        Assert.That(error.Message, Does.Contain(message));
        Assert.That(error.Source, Is.EqualTo("rules.jsonc"));
    }

    [Test]
    public void ErrorColumnPointsAtTheField()
    {
        const string json = """
            {
              "queues": ["Inbound"],
              "tiers": [{ "name": "C", "rules": [{ "conditions": [{ "field": "Rating", "operator": "is", "value": "Hot" }] }, {}] }]
            }
            """;

        var error = RulesFile.Parse(json, "rules.jsonc").Errors.Single();

        var expected = json.Split('\n')[2].IndexOf("\"operator\"", StringComparison.Ordinal) + 1;
        Assert.That((error.Line, error.Column), Is.EqualTo((3, expected)));
        Assert.That(error.ToString(), Does.StartWith($"rules.jsonc(3,{expected}): $.tiers[0].rules[0].conditions[0].operator: unknown operator 'is'"));
    }

    [Test]
    public void EveryErrorIsReportedAtOnceInLineOrder()
    {
        const string json = """
            {
              "queues": [],
              "tiers": [
                { "name": "A", "minConfidence": 2, "rules": [{ "conditions": [{ "field": "Rating", "operator": "equal", "value": "Hot" }] }] },
                { "name": "C", "weeklyCapacity": 1.5, "rules": [{}] }
              ],
              "fairness": { "weeklyFloor": "two" }
            }
            """;

        var result = RulesFile.Parse(json, "rules.jsonc");

        Assert.That(result.Errors.Select(e => (e.Line, e.Path)), Is.EqualTo(new[]
        {
            (2, "$.queues"),
            (4, "$.tiers[0].minConfidence"),
            (4, "$.tiers[0].rules[0].conditions[0].operator"),
            (5, "$.tiers[1].weeklyCapacity"),
            (7, "$.fairness.weeklyFloor"),
        }));
        var thrown = Assert.Throws<RulesValidationException>(() => result.RulesOrThrow())!;
        Assert.That(thrown.Errors, Has.Count.EqualTo(5));
        Assert.That(thrown.Message, Does.Contain("rules.jsonc(7,17): $.fairness.weeklyFloor: expected a whole number"));
    }

    [Test]
    public void MissingFileIsAnErrorNotAnException()
    {
        var path = Path.Combine(TestContext.CurrentContext.WorkDirectory, "no-such-rules.jsonc");

        var error = RulesFile.Load(path).Errors.Single();

        Assert.That((error.Source, error.Path), Is.EqualTo((path, "$")));
        Assert.That(error.Message, Does.StartWith("cannot read the rules file"));
    }

    [Test]
    public void SyntaxErrorIsReportedWithItsLine()
    {
        const string json = """
            {
              "queues": ["Inbound"]
              "tiers": []
            }
            """;

        var error = RulesFile.Parse(json, "rules.jsonc").Errors.Single();

        Assert.That(error.Line, Is.EqualTo(3));
        Assert.That(error.Message, Does.StartWith("not valid JSON"));
    }
}
