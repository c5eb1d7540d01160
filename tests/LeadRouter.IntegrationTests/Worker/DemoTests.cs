using System.Text.Json;

namespace LeadRouter.IntegrationTests.Worker;

/// <summary>
/// The README's demo command, run as a process exactly as a person would (the built leadrouter-demo.dll),
/// on a small generated org: its summary and its JSON document are checked against each other and
/// against what the emulator and the digests folder hold.
/// </summary>
[NonParallelizable]
public class DemoTests
{
    private string _folder = "";

    [SetUp]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("leadrouter-demo-").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    [Test]
    public async Task JsonDocumentHoldsEveryRepLeadAndAssignment()
    {
        var (exit, output, errors) = await RunAsync("--size", "small", "--seed", "7", "--as-of", "2026-11-23T07:00:00Z", "--json", "--out", Path.Combine(_folder, "demo"));
        Assert.That(exit, Is.EqualTo(0), errors);

        using var document = JsonDocument.Parse(output);
        var root = document.RootElement;
        var reps = root.GetProperty("reps").EnumerateArray().ToList();
        Assert.That(reps, Has.Count.GreaterThanOrEqualTo(15), "the small org has about 20 reps");
        foreach (var rep in reps)
        {
            Assert.That(rep.GetProperty("trust").GetDouble(), Is.InRange(0, 100));
            Assert.That(rep.GetProperty("confidence").GetDouble(), Is.InRange(0, 1));
            Assert.That(rep.GetProperty("components").GetArrayLength(), Is.EqualTo(4));
        }

        var decisions = root.GetProperty("routing").GetProperty("decisions").EnumerateArray().ToList();
        var autoAssigned = decisions.Where(d => d.GetProperty("mode").GetString() == "AutoAssign").Select(d => d.GetProperty("leadId").GetString()).ToHashSet();
        Assert.That(decisions, Is.Not.Empty);
        Assert.That(autoAssigned, Is.Not.Empty, "the example rules auto-assign tier A");
        Assert.That(decisions.Select(d => d.GetProperty("why").GetString()), Has.All.Not.Empty);

        var assignments = root.GetProperty("assignments").EnumerateArray().ToList();
        var written = assignments.Where(a => a.GetProperty("status").GetString() == "Assigned").Select(a => a.GetProperty("leadId").GetString()).ToHashSet();
        Assert.That(written, Is.EquivalentTo(autoAssigned), "every AutoAssign lead, and only those, is written back");
        Assert.That(assignments.Where(a => a.GetProperty("mode").GetString() == "Recommend").Select(a => a.GetProperty("status").GetString()),
            Has.All.EqualTo("Pending"), "Recommend tiers wait for the manager");

        foreach (var lead in root.GetProperty("routing").GetProperty("unroutable").EnumerateArray())
            Assert.That(lead.GetProperty("message").GetString(), Is.Not.Empty, "an unroutable lead says why");

        var digests = root.GetProperty("digests").EnumerateArray().ToList();
        Assert.That(digests, Has.Count.EqualTo(reps.Select(r => r.GetProperty("managerId").GetString()).Distinct().Count()));
        foreach (var digest in digests)
        {
            var html = await File.ReadAllTextAsync(digest.GetProperty("path").GetString()!);
            Assert.That(html, Does.Contain("Weekly digest 2026-W48").And.Contain("One-on-one agenda"));
        }
    }

    [Test]
    public async Task SummaryNamesTopAndBottomRepsTiersAndWhereTheDigestsAre()
    {
        var (exit, output, errors) = await RunAsync("--size", "small", "--seed", "7", "--as-of", "2026-11-23T07:00:00Z", "--out", Path.Combine(_folder, "demo"));
        Assert.That(exit, Is.EqualTo(0), errors);
        Assert.That(output, Does.Contain("Reps scored: "));
        Assert.That(output, Does.Contain("Top rep: ").And.Contain("Bottom rep: ").And.Contain("to raise it:"));
        Assert.That(output, Does.Contain("tier A (AutoAssign)"));
        Assert.That(output, Does.Contain("unroutable: "));
        Assert.That(output, Does.Contain("Open one: "));
        Assert.That(output.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.LessThanOrEqualTo(24), "the summary fits one screen");
        Assert.That(output, Does.Match(@"Assignments written to Salesforce: [1-9]\d*;"));
        Assert.That(output, Does.Contain("Digests: ").And.Contain(Path.Combine(_folder, "demo", "digests")));
        Assert.That(output + errors, Does.Not.Contain(SalesforceEmulator.EmulatorOptions.DefaultPassword), "no secret in the output");
    }

    [Test]
    public async Task BadRulesFileFailsWithItsLineAndChangesNothing()
    {
        var rules = Path.Combine(_folder, "bad.jsonc");
        await File.WriteAllTextAsync(rules, "{\n  \"queues\": [\"Inbound_Leads\"],\n  \"tiers\": [],\n  \"policy\": \"Lottery\"\n}\n");
        var (exit, _, errors) = await RunAsync("--size", "small", "--rules", rules, "--out", Path.Combine(_folder, "out"));
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(errors, Does.Contain("bad.jsonc(4,").And.Contain("$.policy"));
        Assert.That(Directory.Exists(Path.Combine(_folder, "out", "digests")), Is.False);
    }

    [Test]
    public async Task AnOrgFileThatIsNotJsonIsBadInputNamedInOneLine()
    {
        var org = Path.Combine(_folder, "org.json");
        await File.WriteAllTextAsync(org, "{\n  \"User\": [\n    { \"Id\": \"005000000000001AAA\", }\n");
        var (exit, output, errors) = await RunAsync("--org", org, "--out", Path.Combine(_folder, "out"));
        Assert.That(exit, Is.EqualTo(2), output + errors);
        Assert.That(errors.Trim().Split('\n'), Has.Length.EqualTo(1), errors);
        Assert.That(errors, Does.StartWith("leadrouter: --org org.json: ").And.Not.Contain("   at "));
        Assert.That(Directory.Exists(Path.Combine(_folder, "out")), Is.False, "nothing is written for a bad org file");
    }

    [TestCase("""{"Lead": [{"Id": "00Q000000000001EAA", "Colour": "red"}]}""", "Lead[0].Colour: no such field on Lead", TestName = "Demo --org: unknown field")]
    [TestCase("""{"Lead": [{"Id": "001000000000001AAA"}]}""", "does not start with Lead's key prefix 00Q", TestName = "Demo --org: id of another object")]
    [TestCase("""{"Lead": [{"Id": "00Q' OR Id != '"}]}""", "Lead[0].Id: ", TestName = "Demo --org: an id that would break a SOQL literal")]
    public async Task ABadOrgFileIsBadInputNamingTheRecordAndField(string file, string says)
    {
        var org = Path.Combine(_folder, "org.json");
        await File.WriteAllTextAsync(org, file);
        var (exit, output, errors) = await RunAsync("--org", org, "--out", Path.Combine(_folder, "out"));
        Assert.That(exit, Is.EqualTo(2), output + errors);
        Assert.That(errors.Trim().Split('\n'), Has.Length.EqualTo(1), errors);
        Assert.That(errors, Does.StartWith("leadrouter: --org org.json: ").And.Contain(says).And.Not.Contain("   at "));
        Assert.That(Directory.Exists(Path.Combine(_folder, "out")), Is.False, "nothing is written for a bad org file");
    }

    [Test]
    public async Task AnUnknownOptionIsBadInputInOneLine()
    {
        var (exit, output, errors) = await RunAsync("--sise", "small", "--out", Path.Combine(_folder, "out"));
        Assert.That(exit, Is.EqualTo(2), output + errors);
        Assert.That(errors.Trim().Split('\n'), Has.Length.EqualTo(1), errors);
        Assert.That(errors, Does.StartWith("leadrouter-demo: ").And.Contain("--sise"));
        Assert.That(Directory.Exists(Path.Combine(_folder, "out")), Is.False);
    }

    /// <summary>Runs the demo built beside this test assembly's configuration, in the test's folder.</summary>
    private Task<(int Exit, string Output, string Errors)> RunAsync(params string[] args) => WorkerProcess.RunAsync(_folder, args, demo: true);
}
