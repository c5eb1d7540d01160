using System.Globalization;
using System.Text;
using LeadRouter.Routing.Simulation;
using LeadRouter.Simulation;

namespace LeadRouter.Worker.Cli;

/// <summary>
/// `simulate` on a terminal: one screen of summary (weeks, tiers, fairness, unroutable, against today's
/// owners), then the reps; at most 100 columns. The reps with the most leads are shown, all with --verbose.
/// </summary>
internal static class SimulationSummary
{
    private const int RepsShown = 15;
    private const int NameWidth = 26;
    private static readonly CultureInfo Ci = CultureInfo.InvariantCulture;

    public static string Text(SimulationReport report, string timeZone, bool verbose)
    {
        var text = Header(report, null, timeZone);
        text.AppendLine("week        pooled   routed  unroutable   Gini  under floor  ramping");
        foreach (var w in report.Weeks)
            text.AppendLine(Ci, $"{w.Week,-10} {w.Pooled,7} {w.Routed,8} {w.Unroutable,11} {w.Gini,6:0.00} {w.UnderFloor,12} {w.Ramping,8}");
        text.AppendLine();
        text.AppendLine("tier        mode         routed   share  mean trust  capacity used  unroutable");
        foreach (var t in report.Tiers)
        {
            text.AppendLine(Ci, $"{Cut(t.Tier, 10),-10}  {t.Mode,-11} {t.Routed,7} {SimulationFormat.Percent(t.Share),7} {Trust(t.MeanTrust),11} " +
                                $"{SimulationFormat.Percent(t.CapacityUsed),14} {t.Unroutable,11}");
        }
        text.AppendLine();
        Fairness(text, report, null);
        Actual(text, "Against today's owners", report.AgainstActual);
        text.AppendLine();

        var shown = verbose ? report.Reps : report.Reps.Take(RepsShown).ToList();
        text.AppendLine(Ci, $"Reps ({(shown.Count < report.Reps.Count ? $"the {shown.Count} with the most leads of {report.Reps.Count}; --verbose for all" : $"{report.Reps.Count}")}):");
        text.Append(Ci, $"{"rep",-NameWidth} trust  leads  share");
        foreach (var t in report.Tiers.Take(4))
            text.Append(Ci, $" {Cut(t.Tier, 5),5}");
        text.AppendLine("  capacity  ramping");
        foreach (var r in shown)
        {
            text.Append(Ci, $"{Cut(r.Name, NameWidth),-NameWidth} {r.Trust,5:0.0} {r.Received,6} {SimulationFormat.Percent(r.Share),6}");
            foreach (var t in report.Tiers.Take(4))
                text.Append(Ci, $" {r.ReceivedByTier.GetValueOrDefault(t.Tier),5}");
            text.AppendLine(Ci, $"  {SimulationFormat.Percent(r.CapacityUsed),8}  {(r.WeeksRamping > 0 ? $"{r.WeeksRamping} wk" : ""),7}");
        }
        Warnings(text, report);
        return text.ToString();
    }

    public static string Text(SimulationComparison comparison, string timeZone, bool verbose)
    {
        var (before, after) = (comparison.Baseline, comparison.Rules);
        var text = Header(after, before, timeZone);
        text.AppendLine("                                      baseline      rules   difference");
        Pair(text, "leads routed", comparison.Routed, "0");
        Pair(text, "left unroutable", comparison.Unroutable, "0");
        Pair(text, "Gini of leads per rep", comparison.Gini, "0.00");
        Pair(text, "rep-weeks under the floor", comparison.RepWeeksUnderFloor, "0");
        Pair(text, "to another rep than today's owner", comparison.DifferentFromActual, "0");
        text.AppendLine(Ci, $"Leads the two rule files give to different reps (or route in one only): {comparison.LeadsToAnotherRep}");
        text.AppendLine();
        text.AppendLine("Week by week, each figure baseline → rules:");
        text.AppendLine(Ci, $"{"week",-10} {"pooled",13} {"routed",22} {"unroutable",16} {"Gini",15}");
        for (var i = 0; i < after.Weeks.Count; i++)
        {
            var (b, a) = (before.Weeks[i], after.Weeks[i]);
            text.AppendLine(Ci, $"{a.Week,-10} {SimulationFormat.Both(b.Pooled, a.Pooled, "0"),13} {SimulationFormat.Both(b.Routed, a.Routed, "0"),22} " +
                                $"{SimulationFormat.Both(b.Unroutable, a.Unroutable, "0"),16} {SimulationFormat.Both(b.Gini, a.Gini, "0.00"),15}");
        }
        text.AppendLine();
        text.AppendLine("tier        routed (baseline → rules)  difference   unroutable (baseline → rules)");
        foreach (var t in comparison.Tiers)
        {
            text.AppendLine(Ci, $"{Cut(t.Tier, 10),-10} {SimulationFormat.Both(t.RoutedBefore, t.RoutedAfter, "0"),26} {t.RoutedDelta,11:+0;-0;0} " +
                                $"{SimulationFormat.Both(t.UnroutableBefore, t.UnroutableAfter, "0"),31}");
        }
        text.AppendLine();
        Fairness(text, after, before);
        Actual(text, "Rules vs today's owners", after.AgainstActual);
        Actual(text, "Baseline vs today's owners", before.AgainstActual);
        text.AppendLine();

        var shown = verbose ? comparison.Reps : comparison.Reps.Where(r => r.Delta != 0).Take(RepsShown).ToList();
        text.AppendLine(Ci, $"Reps {(verbose ? "(all)" : "whose leads change most (--verbose for all)")}:");
        text.AppendLine(Ci, $"{"rep",-NameWidth} baseline  rules  difference");
        foreach (var r in shown)
            text.AppendLine(Ci, $"{Cut(r.Name, NameWidth),-NameWidth} {r.Before,8} {r.After,6} {r.Delta,11:+0;-0;0}");
        if (shown.Count == 0)
            text.AppendLine("  (no rep's leads change)");
        Warnings(text, after);
        return text.ToString();
    }

    private static StringBuilder Header(SimulationReport rules, SimulationReport? baseline, string timeZone)
    {
        var weeks = rules.Weeks;
        var text = new StringBuilder();
        text.AppendLine(Ci, $"Routing replayed over {weeks.Count} weeks, {weeks[0].Week} to {weeks[^1].Week} ({timeZone}), from the store;");
        text.AppendLine(Ci, $"rules {Name(rules)}{(baseline is null ? "" : $" against the baseline {Name(baseline)}")}.");
        text.AppendLine(Ci, $"Trust as it stood each week: {weeks.Sum(w => w.TrustKept)} rep-weeks from kept weekly scores, the rest recomputed.");
        text.AppendLine();
        return text;
    }

    private static string Name(SimulationReport report) =>
        $"{(report.RulesVersion.Length > 0 ? report.RulesVersion : "(no version)")} ({report.Policy})";

    private static void Pair(StringBuilder text, string label, FigurePair pair, string format) =>
        text.AppendLine(Ci, $"{label,-34} {pair.Before.ToString(format, Ci),12} {pair.After.ToString(format, Ci),10} " +
                            $"{pair.Difference.ToString("+" + format + ";-" + format + ";0", Ci),12}");

    private static void Fairness(StringBuilder text, SimulationReport rules, SimulationReport? baseline)
    {
        var f = rules.Fairness;
        text.AppendLine(Ci, $"Fairness: Gini {SimulationFormat.Both(baseline?.Fairness.Gini, f.Gini, "0.00")} over {rules.Reps.Count} reps; " +
                            $"{SimulationFormat.Both(baseline?.Fairness.RepWeeksUnderFloor, f.RepWeeksUnderFloor, "0")} rep-weeks under the floor of {f.WeeklyFloor}; " +
                            $"{SimulationFormat.Both(baseline?.Fairness.RampingReps, f.RampingReps, "0")} ramping reps.");
        var reasons = rules.UnroutableByReason.Select(r => r.Reason).Concat(baseline?.UnroutableByReason.Select(r => r.Reason) ?? []).Distinct().Order();
        text.AppendLine(Ci, $"Left unroutable: {SimulationFormat.Both(baseline?.Unroutable, rules.Unroutable, "0")} leads.");
        foreach (var reason in reasons)
            text.AppendLine(Ci, $"  {SimulationFormat.Reason(reason)}: {SimulationFormat.Both(baseline is null ? null : Count(baseline, reason), Count(rules, reason), "0")}");

        static int Count(SimulationReport report, Routing.UnroutableReason reason) =>
            report.UnroutableByReason.FirstOrDefault(c => c.Reason == reason)?.Leads ?? 0;
    }

    private static void Actual(StringBuilder text, string label, ActualComparison a)
    {
        text.AppendLine(Ci, $"{label}, of {a.Routed} routed: {a.SameRep} same rep, {a.DifferentRep} another rep, {a.StillQueued} still queued;");
        text.AppendLine(Ci, $"  {a.UnroutedButOwned} left unroutable have an owner today.");
        if (a.DifferentRep > 0)
        {
            text.AppendLine(Ci, $"  Where the rep differs, mean trust: replayed rep {Trust(a.MeanSimulatedTrust)}, today's owner " +
                                $"{Trust(a.MeanActualTrust)}{(a.ActualNotScored > 0 ? $" ({a.ActualNotScored} not scored that week)" : "")}.");
        }
    }

    private static void Warnings(StringBuilder text, SimulationReport report)
    {
        foreach (var warning in report.Warnings)
            text.AppendLine("warning: " + warning);
    }

    private static string Trust(double? trust) => trust?.ToString("0.0", Ci) ?? "–";

    private static string Cut(string text, int width) => text.Length <= width ? text : text[..(width - 1)] + "…";
}
