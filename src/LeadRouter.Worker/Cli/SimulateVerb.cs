using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using LeadRouter.Routing.Simulation;
using LeadRouter.Rules;
using LeadRouter.Simulation;
using LeadRouter.Storage;
using LeadRouter.Worker.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace LeadRouter.Worker.Cli;

/// <summary>
/// `simulate`: replays routing over past weeks from the store with a rules file (and a baseline beside
/// it). Reads the store only; touches neither Salesforce nor the bus. Every argument is checked before
/// the store is opened, so bad input changes nothing.
/// </summary>
internal static class SimulateVerb
{
    private const int DefaultWeeks = 4;

    public static Command Create()
    {
        var rules = new Option<FileInfo>("--rules") { Description = "The routing rules file to replay.", Required = true };
        var baseline = new Option<FileInfo?>("--baseline") { Description = "A second rules file (say, the live one) to replay beside it." };
        var weeks = new Option<int?>("--weeks") { Description = $"How many weeks, ending with the last one completed at --as-of (default {DefaultWeeks}, at most {SimulatedWeeks.MaxWeeks})." };
        var from = DateOption("--from", "The first day to replay (yyyy-MM-dd); its whole week is replayed. With --to.");
        var to = DateOption("--to", "The last day to replay (yyyy-MM-dd); its whole week is replayed. With --from.");
        var html = new Option<FileInfo?>("--html") { Description = "Also write the report as a self-contained HTML page to this file." };
        var command = new Command("simulate", "Replay routing over past weeks from the store with a rules file: leads per rep and tier, fairness, and what changes against today's owners (writes nothing).")
        {
            rules, baseline, weeks, from, to, html, LeadRouterCli.AsOf,
        };
        command.SetAction((parse, ct) => CliRun.GuardAsync(async () =>
        {
            var tried = LoadRules("--rules", parse.GetValue(rules)!);
            var compared = parse.GetValue(baseline) is { } baselineFile ? LoadRules("--baseline", baselineFile) : null;
            var htmlFile = parse.GetValue(html);
            if (htmlFile?.Directory is { Exists: false } folder)
                throw new ConfigurationException($"--html: the folder '{folder.FullName}' does not exist.");
            var span = Weeks(tried, parse.GetValue(weeks), parse.GetValue(from), parse.GetValue(to),
                parse.GetValue(LeadRouterCli.AsOf) ?? TimeProvider.System.GetUtcNow());

            return await CliRun.WithHostAsync(parse, HostRole.Engine, async (services, token) =>
            {
                var progress = CliRun.Progress(parse);
                progress?.Report("Reading the store");
                var history = await SimulationHistory.LoadAsync(services.GetRequiredService<LeadRouterDatabase>(), span,
                    Math.Max(tried.Trust.WindowWeeks, compared?.Trust.WindowWeeks ?? 0), token).ConfigureAwait(false);
                if (history.IsEmpty)
                    throw new ConfigurationException("simulate: the store holds no synced users or leads; run 'leadrouter sync' first.");

                progress?.Report($"Replaying {span.Count} weeks");
                var trust = history.ScoreWeeks(tried.Trust, span);
                var report = await history.ReplayAsync(tried, span, trust).ConfigureAwait(false);
                // Rule files that score trust alike share the weeks' trust: scoring is most of a replay's work.
                var before = compared is null ? null : await history.ReplayAsync(compared, span,
                    SameTrustSettings(compared, tried) ? trust : history.ScoreWeeks(compared.Trust, span)).ConfigureAwait(false);
                progress?.Report("");
                if (htmlFile is not null)
                    await File.WriteAllTextAsync(htmlFile.FullName, SimulationHtml.Render(report, before), token).ConfigureAwait(false);

                if (parse.GetValue(LeadRouterCli.Json))
                {
                    if (before is null)
                        CliRun.WriteJson(report);
                    else
                        CliRun.WriteJson(SimulationComparison.Of(before, report));
                }
                else
                {
                    Console.Write(before is null
                        ? SimulationSummary.Text(report, tried.Trust.TimeZone, parse.GetValue(LeadRouterCli.Verbose))
                        : SimulationSummary.Text(SimulationComparison.Of(before, report), tried.Trust.TimeZone, parse.GetValue(LeadRouterCli.Verbose)));
                }
                if (htmlFile is not null)
                    await Console.Error.WriteLineAsync($"leadrouter: the HTML report is {htmlFile.FullName}").ConfigureAwait(false);
                return ExitCodes.Ok;
            }, ct).ConfigureAwait(false);
        }));
        return command;
    }

    private static bool SameTrustSettings(RoutingRules a, RoutingRules b) =>
        JsonSerializer.Serialize(a.Trust, CliRun.JsonOptions) == JsonSerializer.Serialize(b.Trust, CliRun.JsonOptions);

    private static Option<DateOnly?> DateOption(string name, string description) => new(name)
    {
        Description = description,
        CustomParser = result =>
        {
            var text = result.Tokens.Single().Value;
            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
                return day;
            result.AddError($"{name}: '{text}' is not a date such as 2026-11-02 (yyyy-MM-dd).");
            return null;
        },
    };

    /// <summary>A rules file, or one line naming the option, the file and its first error.</summary>
    private static RoutingRules LoadRules(string option, FileInfo file)
    {
        if (Directory.Exists(file.FullName))
            throw new ConfigurationException($"{option}: '{file.FullName}' is a folder, not a rules file.");
        if (!file.Exists)
            throw new ConfigurationException($"{option}: the rules file '{file.FullName}' does not exist.");
        var loaded = RulesFile.Load(file.FullName);
        if (loaded.Rules is { } valid)
            return valid;
        var more = loaded.Errors.Count > 1 ? $" (and {loaded.Errors.Count - 1} more: 'leadrouter rules validate {file.FullName}' lists them)" : "";
        throw new ConfigurationException($"{option}: {loaded.Errors[0]}{more}");
    }

    /// <summary>The weeks to replay, in the rules' time zone; each must have ended by <paramref name="now"/>.</summary>
    private static IReadOnlyList<(string Week, DateTimeOffset Start, DateTimeOffset End)> Weeks(
        RoutingRules rules, int? count, DateOnly? from, DateOnly? to, DateTimeOffset now)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(rules.Trust.TimeZone);
        if (count is not null && (from is not null || to is not null))
            throw new ConfigurationException("simulate: give either --weeks or --from and --to, not both.");
        if (from is null != to is null)
            throw new ConfigurationException("simulate: --from and --to go together; give both, or --weeks.");
        if (from is { } first && to is { } last)
        {
            if (first > last)
                throw new ConfigurationException($"simulate: --from {first:yyyy-MM-dd} comes after --to {last:yyyy-MM-dd}.");
            var span = SimulatedWeeks.Between(first, last, zone);
            if (span.Count > SimulatedWeeks.MaxWeeks)
                throw new ConfigurationException($"simulate: --from {first:yyyy-MM-dd} --to {last:yyyy-MM-dd} spans {span.Count} weeks; at most {SimulatedWeeks.MaxWeeks}.");
            if (span[^1].End > now)
            {
                throw new ConfigurationException(string.Create(CultureInfo.InvariantCulture,
                    $"simulate: --to {last:yyyy-MM-dd} is in {span[^1].Week}, which has not ended at {now.UtcDateTime:yyyy-MM-dd HH:mm}Z; replay completed weeks only."));
            }
            return span;
        }
        if (count is < 1 or > SimulatedWeeks.MaxWeeks)
            throw new ConfigurationException($"simulate: --weeks {count} is outside 1 to {SimulatedWeeks.MaxWeeks}.");
        return SimulatedWeeks.Ending(now, zone, count ?? DefaultWeeks);
    }
}
