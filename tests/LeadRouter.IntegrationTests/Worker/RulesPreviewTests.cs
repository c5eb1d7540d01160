using System.Text.Json;
using LeadRouter.Demo;
using LeadRouter.SalesforceEmulator.Generation;
using LeadRouter.Worker.Cli;
using LeadRouter.Worker.Hosting;

namespace LeadRouter.IntegrationTests.Worker;

/// <summary>Sales ops see what a rules change does before it goes live: `route --dry-run --rules NEW`.</summary>
[NonParallelizable]
public class RulesPreviewTests
{
    [Test]
    public async Task DryRunComparesAChangedRulesFileAndWritesNothing()
    {
        await using var rig = await WorkerRig.StartAsync(OrgSize.Small);
        Assert.That(await Cli(rig, "sync", "--as-of", "2026-11-23T07:00:00Z"), Is.EqualTo(ExitCodes.Ok));
        var writesBefore = rig.Emulator.Writes.Count;

        // The same rules with tier A's weekly capacity (the first in the file) cut to 1.
        var changed = Path.Combine(rig.Folder, "changed.jsonc");
        var example = await File.ReadAllTextAsync(EmbeddedSettings.ExampleRulesFile);
        var tierACapacity = example.IndexOf("\"weeklyCapacity\": 15,", StringComparison.Ordinal);
        Assert.That(tierACapacity, Is.GreaterThan(0));
        await File.WriteAllTextAsync(changed, string.Concat(example.AsSpan(0, tierACapacity), "\"weeklyCapacity\": 1,",
            example.AsSpan(tierACapacity + "\"weeklyCapacity\": 15,".Length)));

        var output = new StringWriter();
        var original = Console.Out;
        Console.SetOut(output);
        int exit;
        try
        {
            exit = await Cli(rig, "route", "--dry-run", "--rules", changed, "--as-of", "2026-11-23T07:00:00Z", "--json");
        }
        finally
        {
            Console.SetOut(original);
        }

        Assert.That(exit, Is.EqualTo(ExitCodes.Ok));
        using var comparison = JsonDocument.Parse(output.ToString());
        var tierA = comparison.RootElement.GetProperty("tiers").EnumerateArray().Single(t => t.GetProperty("tier").GetString() == "A");
        Assert.That(tierA.GetProperty("routedAfter").GetInt32(), Is.LessThan(tierA.GetProperty("routedBefore").GetInt32()),
            "less tier A capacity routes fewer tier A leads");
        Assert.That(comparison.RootElement.GetProperty("changes").GetArrayLength(), Is.GreaterThan(0));
        Assert.That(rig.Emulator.Writes, Has.Count.EqualTo(writesBefore), "a dry run writes nothing to Salesforce");
        Assert.That(Directory.Exists(Path.Combine(rig.Folder, "digests")), Is.False, "nor digests");
    }

    private static Task<int> Cli(WorkerRig rig, params string[] args) =>
        LeadRouterCli.Create().Parse([.. args, .. rig.Settings.SelectMany(s => new[] { "--set", $"{s.Key}={s.Value}" })]).InvokeAsync();
}
