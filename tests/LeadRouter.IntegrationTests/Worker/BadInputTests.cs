using System.Text;
using System.Text.RegularExpressions;
using LeadRouter.SalesforceEmulator.Generation;
using LeadRouter.Storage;
using LeadRouter.Worker.Cli;
using LeadRouter.Worker.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace LeadRouter.IntegrationTests.Worker;

/// <summary>
/// Bad input through the command line, as a person would give it: each case fails with one clear line
/// (a rules file lists its errors under it) naming what is wrong, the documented exit code, no stack
/// trace, and no change to the store, the digests or Salesforce. The store holds a routed run first,
/// so "nothing changed" is checked against real data.
/// </summary>
[NonParallelizable]
public partial class BadInputTests
{
    private WorkerRig _rig = null!;
    private string _rules = "";

    [OneTimeSetUp]
    public async Task RouteOnce()
    {
        _rig = await WorkerRig.StartAsync(OrgSize.Small);
        using (var engine = await _rig.HostAsync(HostRole.Engine, start: false))
            await WorkerRig.CycleAsync(engine);
        _rules = Directory.CreateDirectory(Path.Combine(_rig.Folder, "rules")).FullName;
        foreach (var (name, text) in RulesFiles)
            await File.WriteAllTextAsync(Path.Combine(_rules, name), text);
    }

    [OneTimeTearDown]
    public async Task Dispose() => await _rig.DisposeAsync();

    private static readonly (string Name, string Text)[] RulesFiles =
    [
        ("syntax.jsonc", "{\n  \"queues\": [\"Inbound\"\n  \"tiers\": []\n}\n"),
        ("unknown-field.jsonc", "{\n  \"queues\": [\"Inbound\"],\n  \"queus\": [],\n  \"tiers\": [{ \"name\": \"C\", \"rules\": [{}] }]\n}\n"),
        ("unknown-operator.jsonc", "{\n  \"queues\": [\"Inbound\"],\n  \"tiers\": [{ \"name\": \"C\", \"rules\": [{ \"conditions\": [{ \"field\": \"Industry\", \"operator\": \"like\", \"value\": \"Tech%\" }] }] }]\n}\n"),
        ("bad-regex.jsonc", "{\n  \"queues\": [\"Inbound\"],\n  \"tiers\": [{ \"name\": \"C\", \"rules\": [{ \"conditions\": [{ \"field\": \"Company\", \"operator\": \"matches\", \"value\": \"(unclosed\" }] }] }]\n}\n"),
        ("weights.jsonc", "{\n  \"queues\": [\"Inbound\"],\n  \"tiers\": [{ \"name\": \"C\", \"rules\": [{}] }],\n  \"trust\": { \"weights\": { \"reviewAttendance\": 0.5, \"pipelineHonesty\": 0.5, \"delegation\": 0.5, \"sellingActivity\": 0.5 } }\n}\n"),
        ("policy.jsonc", "{\n  \"queues\": [\"Inbound\"],\n  \"tiers\": [{ \"name\": \"C\", \"rules\": [{}] }],\n  \"policy\": \"Lottery\"\n}\n"),
        ("duplicate-tiers.jsonc", "{\n  \"queues\": [\"Inbound\"],\n  \"tiers\": [{ \"name\": \"A\", \"rules\": [{ \"conditions\": [{ \"field\": \"Rating\", \"operator\": \"equals\", \"value\": \"Hot\" }] }] }, { \"name\": \"a\", \"rules\": [{}] }]\n}\n"),
        ("wrong-type.jsonc", "{\n  \"queues\": [\"Inbound\"],\n  \"tiers\": [{ \"name\": \"A\", \"minTrust\": \"high\", \"rules\": [{}] }]\n}\n"),
        ("empty.jsonc", ""),
        ("huge.jsonc", "{\n  \"queues\": [\"Inbound\"],\n  \"tiers\": [{ \"name\": \"C\", \"rules\": [{}] }],\n  \"notes\": \"" + new string('x', 4_000_000) + "\"\n}\n"),
    ];

    private static IEnumerable<TestCaseData> Cases()
    {
        TestCaseData Case(string name, int exit, string says, params string[] args) =>
            new TestCaseData(args, exit, says).SetName("BadInput: " + name);
        const string sf = "LeadRouter:Salesforce:";
        const int bad = ExitCodes.BadInput;

        // Command line misuse.
        yield return Case("unknown verb", bad, "frobnicate", "frobnicate");
        yield return Case("unknown option", bad, "--bogus", "cycle", "--bogus");
        yield return Case("--as-of not a date", bad, "--as-of: 'yesterday' is not a date", "cycle", "--as-of", "yesterday");
        yield return Case("--as-of without an offset", bad, "no UTC offset", "cycle", "--as-of", "2026-11-23T07:00:00");
        yield return Case("--as-of far in the future", bad, "days ahead", "cycle", "--as-of", "9999-12-31T23:59:59Z");
        yield return Case("--as-of month 13", bad, "--as-of", "score", "--as-of", "2026-13-01T00:00:00Z");
        yield return Case("approve without saying which", bad, "say which", "approve");
        yield return Case("approve an unknown run", bad, "no routing run", "approve", "--run", "3f2504e0-4f89-11d3-9a0c-0305e82c3301");
        yield return Case("approve an unknown lead", bad, "no pending Recommend-mode recommendation for 00Q000000000000AAA", "approve", "--lead", "00Q000000000000AAA");
        yield return Case("approve a run id that is not one", bad, "--run", "approve", "--run", "last-week");
        yield return Case("approve a lead id that would break a SOQL literal", bad, "no pending Recommend-mode recommendation for 00Q' OR Id != '",
            "approve", "--lead", "00Q' OR Id != '");
        yield return Case("--set without =", bad, "expected KEY=VALUE", "score", "--set", "LeadRouter");
        yield return Case("rules validate a folder", bad, "is a folder", "rules", "validate", "{rules}");
        yield return Case("rules validate a missing file", bad, "does not exist", "rules", "validate", "{rules}/none.jsonc");
        yield return Case("rules without a subcommand", bad, "leadrouter:", "rules");
        yield return Case("rules validate without a file", bad, "leadrouter:", "rules", "validate");
        yield return Case("route --rules without --dry-run", bad, "--rules is for --dry-run", "route", "--rules", "{rules}/policy.jsonc");

        // Configuration.
        yield return Case("unknown AuthFlow", bad, sf + "AuthFlow", "cycle", "--set", sf + "AuthFlow=Magic");
        yield return Case("unknown Transport", bad, "LeadRouter:Messaging:Transport", "cycle", "--set", "LeadRouter:Messaging:Transport=Pigeon");
        yield return Case("non-numeric QueryBatchSize", bad, sf + "QueryBatchSize", "sync", "--set", sf + "QueryBatchSize=lots");
        yield return Case("QueryBatchSize out of range", bad, "Salesforce:QueryBatchSize", "sync", "--set", sf + "QueryBatchSize=5");
        yield return Case("bad sync cron", bad, "LeadRouter:Schedule:SyncCron", "run", "--set", "LeadRouter:Schedule:SyncCron=every hour");
        yield return Case("bad weekly cron", bad, "LeadRouter:Schedule:WeeklyCycleCron", "run", "--set", "LeadRouter:Schedule:WeeklyCycleCron=0 0 25 ? * MON");
        yield return Case("unknown schedule time zone", bad, "LeadRouter:Schedule:TimeZone", "run", "--set", "LeadRouter:Schedule:TimeZone=Mars/Olympus_Mons");
        yield return Case("LoginUrl not a URL", bad, "Salesforce:LoginUrl", "cycle", "--set", sf + "LoginUrl=not a url");
        yield return Case("LoginUrl over plain http", bad, "Salesforce:LoginUrl", "cycle", "--set", sf + "LoginUrl=http://login.example.com");
        yield return Case("unknown database provider", bad, "LeadRouter", "score", "--set", "LeadRouter:Database:Provider=Oracle");
        yield return Case("malformed connection string", bad, "LeadRouter:Database", "score",
            "--set", "LeadRouter:Database:Provider=Postgres", "--set", "LeadRouter:Database:ConnectionString=Host=;;=;");
        yield return Case("rules file missing", bad, "LeadRouter:RulesFile", "score", "--set", "LeadRouter:RulesFile={rules}/none.jsonc");
        yield return Case("rules file is a folder", bad, "is a folder", "score", "--set", "LeadRouter:RulesFile={rules}");
        yield return Case("rules file with errors", bad, "error(s) in the routing rules", "cycle", "--set", "LeadRouter:RulesFile={rules}/syntax.jsonc");
        yield return Case("SyncOverlap not a duration", bad, "LeadRouter:SyncOverlap", "sync", "--set", "LeadRouter:SyncOverlap=soon");
        yield return Case("negative BulkThreshold", bad, "Sync:BulkThreshold", "sync", "--set", "LeadRouter:Sync:BulkThreshold=-5");
        yield return Case("missing Salesforce password", bad, "Salesforce:Password", "cycle", "--set", sf + "Password=");
        yield return Case("negative retry limit", bad, "Retry", "cycle", "--no-sync", "--set", "LeadRouter:Messaging:Retry:Limit=-1");
        yield return Case("digest folder is a file", bad, "LeadRouter:DigestFolder", "cycle", "--set", "LeadRouter:DigestFolder={rules}/policy.jsonc");
        yield return Case("PostgreSQL unreachable", bad, "LeadRouter:Database", "score",
            "--set", "LeadRouter:Database:Provider=Postgres",
            "--set", "LeadRouter:Database:ConnectionString=Host=127.0.0.1;Port=1;Username=u;Password=p;Database=d;Timeout=3");
        yield return Case("RabbitMQ unreachable", bad, "LeadRouter:Messaging", "cycle", "--no-sync",
            "--set", "LeadRouter:Messaging:Transport=RabbitMq", "--set", "LeadRouter:Messaging:RabbitMq:Port=1",
            "--set", "LeadRouter:Messaging:RabbitMq:Password=p");
        yield return Case("Salesforce unreachable", ExitCodes.Salesforce, "Salesforce", "sync", "--set", sf + "LoginUrl=http://127.0.0.1:1");
        yield return Case("Salesforce refuses the password", ExitCodes.Salesforce, "sign-in failed", "sync", "--set", sf + "Password=wrong");

        // Rules files.
        foreach (var (name, _) in RulesFiles)
            yield return Case("rules validate " + name, bad, name, "rules", "validate", "{rules}/" + name);
    }

    [TestCaseSource(nameof(Cases))]
    public async Task FailsWithOneLineItsExitCodeAndChangesNothing(string[] args, int exit, string says)
    {
        var before = await FingerprintAsync();
        var writes = _rig.Emulator.Writes.Count;

        var run = await CliConsole.RunAsync([.. _rig.SetOptions(), .. args.Select(a => a.Replace("{rules}", _rules, StringComparison.Ordinal))]);

        // Log lines (warnings of retries met on the way) may come first; the error itself is one line.
        var lines = run.Errors.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !LogLine().IsMatch(l)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(run.Exit, Is.EqualTo(exit), run.Errors);
            Assert.That(run.Errors, Does.Contain(says));
            Assert.That(lines, Is.Not.Empty);
            Assert.That(lines.Skip(1).Where(l => !l.StartsWith("  ", StringComparison.Ordinal)),
                Is.Empty, "one line, then only the indented errors of a rules file");
            Assert.That(run.Errors, Does.Not.Match(@"\sat [\w.`<>\[\]]+\(").And.Not.Contain("--- End of"), "no stack trace");
            Assert.That(run.Output, Is.Empty, "nothing on stdout");
        });
        Assert.That(await FingerprintAsync(), Is.EqualTo(before), "the store and the digests are unchanged");
        Assert.That(_rig.Emulator.Writes, Has.Count.EqualTo(writes), "nothing written to Salesforce");
    }

    [GeneratedRegex("^(trce|dbug|info|warn|fail|crit): ")]
    private static partial Regex LogLine();

    /// <summary>What the store holds (runs, recommendations and their states, outbox, watermarks, scores) and the digest files.</summary>
    private async Task<string> FingerprintAsync()
    {
        using var engine = LeadRouterServices.Build(HostRole.Engine, _rig.Settings);
        var database = engine.Services.GetRequiredService<LeadRouterDatabase>();
        await using var transaction = await database.BeginTransactionAsync();
        var text = new StringBuilder();
        foreach (var sql in new[]
                 {
                     "SELECT COUNT(*) FROM routing_runs",
                     "SELECT status || ':' || COALESCE(status_reason, '') || ':' || COUNT(*) FROM recommendations GROUP BY status, status_reason",
                     "SELECT COUNT(*) || ':' || COUNT(sent_at) FROM outbox",
                     "SELECT object_name || ':' || last_system_modstamp FROM sync_watermarks ORDER BY object_name",
                     "SELECT COUNT(*) FROM trust_scores",
                     "SELECT COUNT(*) FROM processed_messages",
                     "SELECT COUNT(*) || ':' || MAX(system_modstamp) FROM leads",
                 })
        {
            foreach (var row in await Dapper.SqlMapper.QueryAsync<string>(transaction.Connection, sql, transaction: transaction.Transaction))
                text.AppendLine(row);
        }
        var digests = Path.Combine(_rig.Folder, "digests");
        if (Directory.Exists(digests))
        {
            foreach (var file in Directory.EnumerateFiles(digests, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                text.AppendLine(file + ":" + new FileInfo(file).Length);
        }
        return text.ToString();
    }
}
