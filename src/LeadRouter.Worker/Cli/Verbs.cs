using System.CommandLine;
using System.Globalization;
using LeadRouter.Assignment;
using LeadRouter.Cycle;
using LeadRouter.Routing;
using LeadRouter.Rules;
using LeadRouter.Storage;
using LeadRouter.Sync;
using LeadRouter.Worker.Hosting;
using LeadRouter.Worker.Outbox;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LeadRouter.Worker.Cli;

/// <summary>The verbs. Each builds only the part of the service it needs.</summary>
internal static class Verbs
{
    public static Command Run()
    {
        var command = new Command("run", "Run the service: hourly sync, the weekly cycle, the routing consumer and the outbox relay.");
        command.SetAction((parse, ct) => CliRun.GuardAsync(async () =>
        {
            using var host = LeadRouterServices.Build(HostRole.Service, CliRun.Overrides(parse), services => services.AddHealthListener());
            await CliRun.OpenStoreAsync(host.Services, ct).ConfigureAwait(false);
            await host.RunAsync(ct).ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }

    public static Command Cycle()
    {
        var noSync = new Option<bool>("--no-sync") { Description = "Score and route what the store holds, without pulling from Salesforce." };
        var command = new Command("cycle", "Run one weekly cycle now: sync, score, route, recommend, publish, assign the AutoAssign tiers.")
        {
            LeadRouterCli.AsOf, noSync,
        };
        command.SetAction((parse, ct) => CliRun.WithHostAsync(parse, HostRole.Messaging, async (services, token) =>
        {
            var asOf = AsOf(parse);
            var result = await services.GetRequiredService<WeeklyCycle>()
                .RunAsync(asOf, new CycleRun(Sync: !parse.GetValue(noSync)), CliRun.Progress(parse), token).ConfigureAwait(false);
            return Report(parse, result, await CycleSettlement.SettleRunAsync(services, result.RunId, token).ConfigureAwait(false));
        }, ct));
        return command;
    }

    public static Command Sync()
    {
        var command = new Command("sync", "Pull what changed in Salesforce since the last sync into the store.") { LeadRouterCli.AsOf };
        command.SetAction((parse, ct) => CliRun.WithHostAsync(parse, HostRole.Engine, async (services, token) =>
        {
            var progress = CliRun.Progress(parse);
            var report = await services.GetRequiredService<SyncTurn>().RunAsync(
                AsOf(parse),
                progress is null ? null : new Progress<SyncProgress>(p => progress.Report($"{p.ObjectName}: {p.RowsRead} rows, {p.CallsMade} calls")),
                token).ConfigureAwait(false);
            if (parse.GetValue(LeadRouterCli.Json))
            {
                CliRun.WriteJson(report);
            }
            else
            {
                foreach (var o in report.Objects)
                    Console.WriteLine($"{o.ObjectName,-24} {o.RowsRead,9} read {o.RowsDeleted,7} deleted {o.RowsRejected,5} set aside {o.Calls,5} calls{(o.ReadInBulk ? " via Bulk" : "")}{(o.FirstPull ? " (first pull)" : "")}");
                Console.WriteLine(report.Summary());
            }
            return report.RowsRejected > 0 ? ExitCodes.Failed : ExitCodes.Ok;
        }, ct));
        return command;
    }

    public static Command Score()
    {
        var command = new Command("score", "Score every rep from the store as of a moment and print the result (writes nothing).") { LeadRouterCli.AsOf };
        command.SetAction((parse, ct) => CliRun.WithHostAsync(parse, HostRole.Engine, async (services, token) =>
        {
            var (report, _) = await services.GetRequiredService<WeeklyCycle>().ScoreAsync(AsOf(parse), token).ConfigureAwait(false);
            if (parse.GetValue(LeadRouterCli.Json))
            {
                CliRun.WriteJson(report);
                return ExitCodes.Ok;
            }
            foreach (var rep in report.Reps.OrderByDescending(r => r.Trust))
            {
                var evidence = string.Join("; ", rep.Components.Select(c => c.Evidence));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{rep.Name,-28} trust {rep.Trust,5:0.0} ({rep.Change:+0.0;-0.0;0.0}) confidence {rep.Confidence:P0}  {evidence}"));
            }
            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    public static Command Route()
    {
        var dryRun = new Option<bool>("--dry-run") { Description = "Route and print, but write nothing and publish nothing." };
        var rulesFile = new Option<FileInfo?>("--rules")
        {
            Description = "With --dry-run: a changed rules file to try; prints what it would change against the configured rules.",
        };
        var command = new Command("route", "Score and route the lead pool from the store (no sync). With --dry-run, preview only.")
        {
            LeadRouterCli.AsOf, dryRun, rulesFile,
        };
        command.SetAction((parse, ct) => CliRun.WithHostAsync(parse, parse.GetValue(dryRun) ? HostRole.Engine : HostRole.Messaging, async (services, token) =>
        {
            if (!parse.GetValue(dryRun))
            {
                if (parse.GetValue(rulesFile) is not null)
                    throw new ConfigurationException("--rules is for --dry-run: set LeadRouter:RulesFile to route with other rules for real.");
                var saved = await services.GetRequiredService<WeeklyCycle>().RunAsync(
                    AsOf(parse), new CycleRun(Sync: false), CliRun.Progress(parse), token).ConfigureAwait(false);
                return Report(parse, saved, await CycleSettlement.SettleRunAsync(services, saved.RunId, token).ConfigureAwait(false));
            }
            var (trust, input) = await services.GetRequiredService<WeeklyCycle>().ScoreAsync(AsOf(parse), token).ConfigureAwait(false);
            var rules = services.GetRequiredService<RoutingRules>();
            var current = RoutingEngine.Route(rules, input);
            if (parse.GetValue(rulesFile) is not { } candidateFile)
            {
                Print(parse, new CycleResult(WeeklyCycle.RunIdFor(trust.AsOf, rules.Hash), null, trust, current, [], false), []);
                return ExitCodes.Ok;
            }
            var candidate = RulesFile.Load(candidateFile.FullName).RulesOrThrow();
            var comparison = RoutingComparison.Compare(current, RoutingEngine.Route(candidate, input));
            if (parse.GetValue(LeadRouterCli.Json))
                CliRun.WriteJson(comparison);
            else
                Console.WriteLine(ComparisonText(comparison, current.PoolSize));
            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    /// <summary>What a rules change would do, for the sales ops person about to make it live.</summary>
    private static string ComparisonText(RoutingComparisonResult comparison, int poolSize)
    {
        static string Outcome(LeadOutcome? o) => o?.RepId is null ? "unroutable" : $"{o.RepId} (tier {o.Tier}, {o.Mode})";
        var text = new System.Text.StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Leads whose routing would change: {comparison.Changes.Count} of {poolSize} in the pool");
        foreach (var tier in comparison.Tiers)
            text.AppendLine(CultureInfo.InvariantCulture, $"  tier {tier.Tier}: routed {tier.RoutedBefore} → {tier.RoutedAfter}, unroutable {tier.UnroutableBefore} → {tier.UnroutableAfter}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Unroutable: {comparison.UnroutableBefore} → {comparison.UnroutableAfter}; Gini {comparison.GiniBefore:0.00} → {comparison.GiniAfter:0.00}");
        text.AppendLine("Reps most affected:");
        foreach (var rep in comparison.Reps.OrderByDescending(r => Math.Abs(r.After - r.Before)).ThenBy(r => r.RepId, StringComparer.Ordinal).Take(10))
            text.AppendLine(CultureInfo.InvariantCulture, $"  {rep.Name,-28} {rep.Before,4} → {rep.After,4} leads");
        text.AppendLine("First changes:");
        foreach (var change in comparison.Changes.Take(10))
            text.AppendLine(CultureInfo.InvariantCulture, $"  {change.LeadId}: {Outcome(change.Before)} → {Outcome(change.After)}");
        return text.ToString();
    }

    public static Command Approve()
    {
        var run = new Option<Guid?>("--run") { Description = "Approve the pending recommendations of this run." };
        var leads = new Option<string[]>("--lead") { Description = "Approve the pending recommendation of this lead (repeatable)." };
        var all = new Option<bool>("--all") { Description = "Approve every pending recommendation." };
        var command = new Command("approve", "Approve pending Recommend-mode recommendations: their owners are written exactly as AutoAssign does.")
        {
            run, leads, all,
        };
        command.SetAction((parse, ct) =>
        {
            List<Recommendation> pending = [];
            IReadOnlyDictionary<string, string> refused = new Dictionary<string, string>();
            return CliRun.WithHostAsync(parse, HostRole.Messaging, work: async (services, token) =>
            {
                var approved = pending.Where(r => !refused.ContainsKey(r.LeadId)).ToList();
                IReadOnlyList<AssignmentOutcome> outcomes = approved.Count == 0 ? [] : await services.GetRequiredService<LeadAssigner>().AssignAsync(
                    approved.Select(r => new AssignmentRequest(r.RunId, r.LeadId, r.RepId!)).ToList(), token).ConfigureAwait(false);
                await services.GetRequiredService<OutboxRelay>().DrainAsync(token).ConfigureAwait(false);
                var refusals = pending.Where(r => refused.ContainsKey(r.LeadId)).ToList();
                if (parse.GetValue(LeadRouterCli.Json))
                {
                    CliRun.WriteJson(outcomes.Select(o => new { o.Request.LeadId, o.Request.RepId, o.Assigned, Reason = o.Reason?.ToString(), o.Detail })
                        .Concat(refusals.Select(r => new { r.LeadId, RepId = r.RepId!, Assigned = false, Reason = (string?)"Refused", Detail = refused[r.LeadId] })));
                }
                else
                {
                    foreach (var o in outcomes)
                        Console.WriteLine($"{o.Request.LeadId} → {o.Request.RepId}: {(o.Assigned ? "assigned" : o.Deferred ? "not yet assigned" : "skipped")}, {o.Detail}");
                    foreach (var r in refusals)
                        Console.WriteLine($"{r.LeadId} → {r.RepId}: refused, still pending: {refused[r.LeadId]}");
                    Console.WriteLine($"{outcomes.Count(o => o.Assigned)} assigned, {outcomes.Count(o => o.Reason is not null)} skipped, " +
                        $"{outcomes.Count(o => o.Deferred)} not yet assigned, {refusals.Count} refused of {pending.Count} approved.");
                }
                // Deferred ones stay pending: approving them again later carries them out. Refused ones stay
                // pending too, for the manager to look at (or the next run to supersede).
                return outcomes.Any(o => o.Deferred) ? ExitCodes.Salesforce : refusals.Count > 0 ? ExitCodes.Failed : ExitCodes.Ok;
            }, ct, check: async (services, token) =>
            {
                var leadIds = parse.GetValue(leads) ?? [];
                if (parse.GetValue(run) is null && leadIds.Length == 0 && !parse.GetValue(all))
                    throw new ConfigurationException("approve: say which recommendations: --run ID, --lead ID or --all.");
                var database = services.GetRequiredService<LeadRouterDatabase>();
                var store = new RoutingStore(database);
                if (parse.GetValue(run) is { } runId && await store.GetRunAsync(runId, token).ConfigureAwait(false) is null)
                    throw new ConfigurationException($"approve --run: there is no routing run {runId}.");
                pending = (await store.ListPendingAsync(token).ConfigureAwait(false))
                    .Where(r => r.RepId is not null && r.Mode == nameof(RoutingMode.Recommend))
                    .Where(r => parse.GetValue(run) is not { } id || r.RunId == id)
                    .Where(r => leadIds.Length == 0 || leadIds.Contains(r.LeadId, StringComparer.OrdinalIgnoreCase))
                    .ToList();
                var unknown = leadIds.Where(l => !pending.Any(r => string.Equals(r.LeadId, l, StringComparison.OrdinalIgnoreCase))).ToList();
                if (unknown.Count > 0)
                    throw new ConfigurationException($"approve --lead: no pending Recommend-mode recommendation for {string.Join(", ", unknown)}.");
                refused = await ApprovalRecheck.RefusalsAsync(database, services.GetRequiredService<RoutingRules>(), pending,
                    services.GetRequiredService<TimeProvider>().GetUtcNow(), token).ConfigureAwait(false);
            });
        });
        return command;
    }

    public static Command Rules()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "The routing rules file to check." };
        var validate = new Command("validate", "Check a routing rules file; lists every error with its line and JSON path.") { file };
        validate.SetAction(parse =>
        {
            var path = parse.GetValue(file)!.FullName;
            if (Directory.Exists(path))
            {
                Console.Error.WriteLine($"leadrouter: '{path}' is a folder, not a rules file.");
                return ExitCodes.BadInput;
            }
            if (!File.Exists(path))
            {
                Console.Error.WriteLine($"leadrouter: rules file '{path}' does not exist.");
                return ExitCodes.BadInput;
            }
            var result = RulesFile.Load(path);
            if (parse.GetValue(LeadRouterCli.Json))
                CliRun.WriteJson(new { result.IsValid, result.Errors, Hash = result.Rules?.Hash });
            else if (result.IsValid)
                Console.WriteLine($"{path}: valid ({result.Rules!.Tiers.Count} tiers, {result.Rules.Territories.Count} territories, policy {result.Rules.Policy}).");
            else
            {
                Console.Error.WriteLine($"leadrouter: {path}: {result.Errors.Count} error(s) in the routing rules:");
                foreach (var error in result.Errors)
                    Console.Error.WriteLine("  " + error);
            }
            return result.IsValid ? ExitCodes.Ok : ExitCodes.BadInput;
        });
        return new Command("rules", "Work with the routing rules file.") { validate };
    }

    public static Command Migrate()
    {
        var command = new Command("migrate", "Create or upgrade the store's schema; refuses a database newer than this program.");
        command.SetAction((parse, ct) => CliRun.GuardAsync(async () =>
        {
            using var host = LeadRouterServices.Build(HostRole.Engine, CliRun.Overrides(parse));
            var applied = await CliRun.OpenStoreAsync(host.Services, ct).ConfigureAwait(false);
            if (parse.GetValue(LeadRouterCli.Json))
                CliRun.WriteJson(new { Applied = applied });
            else
                Console.WriteLine(applied.Count == 0 ? "The store is up to date." : "Applied: " + string.Join(", ", applied));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static DateTimeOffset AsOf(ParseResult parse) => parse.GetValue(LeadRouterCli.AsOf) ?? TimeProvider.System.GetUtcNow();

    /// <summary>Prints a settled cycle; AutoAssign leads left unassigned are reported on stderr and set the exit code.</summary>
    internal static int Report(ParseResult parse, CycleResult result, Settlement settlement)
    {
        Print(parse, result, settlement.Recommendations);
        if (settlement.Explain() is { } left)
            Console.Error.WriteLine("leadrouter: " + left);
        return settlement.ExitCode;
    }

    internal static void Print(ParseResult parse, CycleResult result, IReadOnlyList<RecommendationOutcome> recommendations)
    {
        if (parse.GetValue(LeadRouterCli.Json))
            CliRun.WriteJson(CycleSummary.Document(result, recommendations));
        else
            Console.WriteLine(CycleSummary.Text(result, recommendations, parse.GetValue(LeadRouterCli.Verbose)));
    }
}
