using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using LeadRouter.IntegrationTests.Worker;
using LeadRouter.Storage;
using LeadRouter.Worker.Cli;
using Microsoft.Extensions.DependencyInjection;

namespace LeadRouter.IntegrationTests.Digest;

/// <summary>
/// `leadrouter simulate` as sales ops run it, on the digest tests' small org (synced once, four weekly
/// cycles kept, the last as of <see cref="WorkerRig.AsOf"/>): the terminal table and --json agree,
/// --baseline shows both rule files, kept weekly scores are used, the store is left as it was, and bad
/// input is one line with exit 2.
/// </summary>
[NonParallelizable]
public class SimulateTests
{
    private const string AsOf = "2026-11-23T07:00:00Z";

    private DigestOrg _org = null!;
    private string _rules = "";

    [OneTimeSetUp]
    public async Task Start()
    {
        _org = await DigestOrg.SharedAsync();
        _rules = _org.Rig.Settings["LeadRouter:RulesFile"]!;
    }

    [Test]
    public async Task TerminalTableAndJsonAgreeAndTheStoreIsUnchanged()
    {
        var before = await FingerprintAsync();

        var text = await RunAsync("simulate", "--rules", _rules, "--as-of", AsOf);
        var json = await RunAsync("simulate", "--rules", _rules, "--as-of", AsOf, "--json");

        Assert.That((text.Exit, json.Exit), Is.EqualTo((ExitCodes.Ok, ExitCodes.Ok)), text.Errors + json.Errors);
        using var report = JsonDocument.Parse(json.Output);
        var root = report.RootElement;
        var weeks = root.GetProperty("weeks").EnumerateArray().ToList();
        Assert.That(weeks.Select(w => w.GetProperty("week").GetString()), Is.EqualTo(new[] { "2026-W44", "2026-W45", "2026-W46", "2026-W47" }),
            "four weeks ending with the last one completed at --as-of");
        // The cycles kept scores for W45 to W48: the replay uses them where it can and recomputes W44.
        Assert.That(weeks.Select(w => w.GetProperty("trustKept").GetInt32() > 0), Is.EqualTo(new[] { false, true, true, true }));

        var routed = root.GetProperty("routed").GetInt32();
        Assert.That(routed, Is.GreaterThan(0));
        Assert.That(weeks.Sum(w => w.GetProperty("routed").GetInt32()), Is.EqualTo(routed));
        Assert.That(root.GetProperty("reps").EnumerateArray().Sum(r => r.GetProperty("received").GetInt32()), Is.EqualTo(routed));
        foreach (var week in weeks)
        {
            var line = string.Create(CultureInfo.InvariantCulture,
                $@"^{week.GetProperty("week").GetString()}\s+{week.GetProperty("pooled").GetInt32()}\s+{week.GetProperty("routed").GetInt32()}\s+{week.GetProperty("unroutable").GetInt32()}\s+{week.GetProperty("gini").GetDouble():0.00}\s");
            Assert.That(text.Output, Does.Match(new Regex(line, RegexOptions.Multiline)), "the week's line carries the JSON's figures");
        }
        foreach (var tier in root.GetProperty("tiers").EnumerateArray())
            Assert.That(text.Output, Does.Match(new Regex($@"^{tier.GetProperty("tier").GetString()}\s+\w+\s+{tier.GetProperty("routed").GetInt32()}\s", RegexOptions.Multiline)));
        var actual = root.GetProperty("againstActual");
        Assert.That(text.Output, Does.Contain($"of {actual.GetProperty("routed").GetInt32()} routed: {actual.GetProperty("sameRep").GetInt32()} same rep, " +
                                              $"{actual.GetProperty("differentRep").GetInt32()} another rep"));
        Assert.That(text.Output, Does.Contain(string.Create(CultureInfo.InvariantCulture, $"Gini {root.GetProperty("fairness").GetProperty("gini").GetDouble():0.00}")));
        Assert.That(text.Output.Split('\n').Max(l => l.TrimEnd('\r').Length), Is.LessThanOrEqualTo(100), "fits 100 columns");

        Assert.That(await FingerprintAsync(), Is.EqualTo(before), "simulate writes nothing to the store");
    }

    [Test]
    public async Task BaselineShowsBothRuleFilesAndTheirDifference()
    {
        // The example rules with tier A's weekly capacity cut from 15 to 1, against the example itself.
        var changed = Path.Combine(_org.Rig.Folder, "tier-a-capacity-1.jsonc");
        await File.WriteAllTextAsync(changed, (await File.ReadAllTextAsync(_rules)).Replace("\"weeklyCapacity\": 15,", "\"weeklyCapacity\": 1,", StringComparison.Ordinal));

        var json = await RunAsync("simulate", "--rules", changed, "--baseline", _rules, "--as-of", AsOf, "--json");
        var text = await RunAsync("simulate", "--rules", changed, "--baseline", _rules, "--as-of", AsOf);

        Assert.That((json.Exit, text.Exit), Is.EqualTo((ExitCodes.Ok, ExitCodes.Ok)), json.Errors + text.Errors);
        using var comparison = JsonDocument.Parse(json.Output);
        var root = comparison.RootElement;
        var tierA = root.GetProperty("tiers").EnumerateArray().Single(t => t.GetProperty("tier").GetString() == "A");
        var (aBefore, aAfter) = (tierA.GetProperty("routedBefore").GetInt32(), tierA.GetProperty("routedAfter").GetInt32());
        Assert.That(aAfter, Is.LessThan(aBefore), "less tier A capacity routes fewer tier A leads");
        Assert.That(root.GetProperty("baseline").GetProperty("tiers")[0].GetProperty("routed").GetInt32(), Is.EqualTo(aBefore));
        Assert.That(root.GetProperty("rules").GetProperty("tiers")[0].GetProperty("routed").GetInt32(), Is.EqualTo(aAfter));
        var routed = root.GetProperty("routed");
        Assert.That(routed.GetProperty("difference").GetDouble(),
            Is.EqualTo(routed.GetProperty("after").GetDouble() - routed.GetProperty("before").GetDouble()));
        Assert.That(root.GetProperty("leadsToAnotherRep").GetInt32(), Is.GreaterThan(0));

        Assert.That(text.Output, Does.Contain("baseline").And.Contain("rules"));
        Assert.That(text.Output.Split('\n').Max(l => l.TrimEnd('\r').Length), Is.LessThanOrEqualTo(100), "fits 100 columns");
        Assert.That(text.Output, Does.Match(new Regex($@"^A\s+{aBefore} → {aAfter}\s+{aAfter - aBefore}\s", RegexOptions.Multiline)),
            "tier A's line shows both figures and the difference");
        Assert.That(text.Output, Does.Match(new Regex(string.Create(CultureInfo.InvariantCulture,
            $@"^leads routed\s+{routed.GetProperty("before").GetDouble():0}\s+{routed.GetProperty("after").GetDouble():0}\s"), RegexOptions.Multiline)));
    }

    private static IEnumerable<TestCaseData> BadInputs()
    {
        TestCaseData Case(string name, string says, params string[] args) => new TestCaseData(args, says).SetName("Simulate bad input: " + name);
        yield return Case("rules file missing", "does not exist", "--rules", "{folder}/none.jsonc");
        yield return Case("rules file is a folder", "is a folder", "--rules", "{folder}");
        yield return Case("rules file invalid", "invalid.jsonc(", "--rules", "{folder}/invalid.jsonc");
        yield return Case("baseline invalid", "--baseline", "--rules", "{rules}", "--baseline", "{folder}/invalid.jsonc");
        yield return Case("no rules", "--rules");
        yield return Case("--weeks 0", "--weeks 0 is outside 1 to 52", "--rules", "{rules}", "--weeks", "0");
        yield return Case("--weeks 53", "--weeks 53 is outside 1 to 52", "--rules", "{rules}", "--weeks", "53");
        yield return Case("--weeks with --from", "either --weeks or --from and --to", "--rules", "{rules}", "--weeks", "2", "--from", "2026-11-02", "--to", "2026-11-09");
        yield return Case("--from without --to", "--from and --to go together", "--rules", "{rules}", "--from", "2026-11-02");
        yield return Case("--from after --to", "--from 2026-11-16 comes after --to 2026-11-02", "--rules", "{rules}", "--from", "2026-11-16", "--to", "2026-11-02");
        yield return Case("bad date", "--from: '2026-13-01' is not a date", "--rules", "{rules}", "--from", "2026-13-01", "--to", "2026-11-02");
        yield return Case("--to in a week not over", "has not ended", "--rules", "{rules}", "--from", "2026-11-02", "--to", "2026-11-24");
        yield return Case("more than 52 weeks", "at most 52", "--rules", "{rules}", "--from", "2024-11-04", "--to", "2026-11-16");
        yield return Case("--html in a missing folder", "--html", "--rules", "{rules}", "--html", "{folder}/none/report.html");
        yield return Case("empty store", "no synced users or leads", "--rules", "{rules}", "--set", "LeadRouter:Database:ConnectionString=Data Source={folder}/empty.db");
    }

    [TestCaseSource(nameof(BadInputs))]
    public async Task BadInputIsOneLineWithExitTwoAndChangesNothing(string[] args, string says)
    {
        var folder = Directory.CreateDirectory(Path.Combine(_org.Rig.Folder, "simulate-input")).FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "invalid.jsonc"), "{\n  \"queues\": [\"Inbound\"],\n  \"tiers\": [],\n  \"policy\": \"Lottery\"\n}\n");
        var before = await FingerprintAsync();

        var run = await RunAsync(["simulate", "--as-of", AsOf, .. args.Select(a => a.Replace("{folder}", folder, StringComparison.Ordinal).Replace("{rules}", _rules, StringComparison.Ordinal))]);

        var lines = run.Errors.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Multiple(() =>
        {
            Assert.That(run.Exit, Is.EqualTo(ExitCodes.BadInput), run.Errors);
            Assert.That(run.Errors, Does.Contain(says));
            Assert.That(lines, Has.Length.EqualTo(1), "one line");
            Assert.That(run.Errors, Does.Not.Match(@"\sat [\w.`<>\[\]]+\("), "no stack trace");
            Assert.That(run.Output, Is.Empty, "nothing on stdout");
        });
        Assert.That(await FingerprintAsync(), Is.EqualTo(before), "the store is unchanged");
    }

    /// <summary>Runs the command line on the digest org's settings (later --set options win).</summary>
    private Task<(int Exit, string Output, string Errors)> RunAsync(params string[] args) =>
        CliConsole.RunAsync([.. _org.Rig.SetOptions(), .. args]);

    /// <summary>Every table's row count and the newest modification of the synced rows and the kept scores.</summary>
    private async Task<string> FingerprintAsync()
    {
        var database = _org.Host.Services.GetRequiredService<LeadRouterDatabase>();
        await using var transaction = await database.BeginTransactionAsync();
        var text = new StringBuilder();
        var tables = await Dapper.SqlMapper.QueryAsync<string>(transaction.Connection,
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name", transaction: transaction.Transaction);
        foreach (var table in tables)
        {
            var count = await Dapper.SqlMapper.ExecuteScalarAsync<long>(transaction.Connection, $"SELECT COUNT(*) FROM \"{table}\"", transaction: transaction.Transaction);
            text.AppendLine(CultureInfo.InvariantCulture, $"{table}: {count}");
        }
        foreach (var sql in new[] { "SELECT MAX(system_modstamp) FROM leads", "SELECT MAX(as_of) || ':' || SUM(trust) FROM trust_scores" })
            text.AppendLine(await Dapper.SqlMapper.ExecuteScalarAsync<string>(transaction.Connection, sql, transaction: transaction.Transaction));
        return text.ToString();
    }
}
