using System.Text;
using LeadRouter.Digest;
using LeadRouter.Routing;
using LeadRouter.Routing.Simulation;
using static LeadRouter.Digest.HtmlPage;

namespace LeadRouter.Simulation;

/// <summary>
/// The simulation report as one self-contained HTML page in the digest's house style (inline CSS and
/// SVG, no script, nothing fetched): leads per rep against trust, each tier's share week by week, the
/// fairness, unroutable and actual-owner figures. With a baseline, every figure for both rule files.
/// Each chart has its figures beside it in tables, so nothing is lost where SVG is not shown.
/// </summary>
public static class SimulationHtml
{
    private const string RulesColour = "#4e79a7", BaselineColour = "#f28e2b";

    /// <summary>Figures wrap at their spaces ("474 → 480"), never inside a number.</summary>
    private const string Style = ".grid td{overflow-wrap:break-word}";

    public static string Render(SimulationReport rules, SimulationReport? baseline = null)
    {
        var weeks = rules.Weeks;
        var html = Begin($"Routing simulation {weeks[0].Week} to {weeks[^1].Week}", Style);
        html.Append("<h1>").Append(E($"Routing simulation, {weeks[0].Week} to {weeks[^1].Week}")).Append("</h1>\n<p class=\"muted\">")
            .Append(E($"Rules {Name(rules)}{(baseline is null ? "" : $" against the baseline {Name(baseline)}")}, replayed over {weeks.Count} weeks " +
                      $"from the store; trust as it stood each week ({weeks.Sum(w => w.TrustKept)} rep-weeks from kept weekly scores, the rest recomputed)."))
            .Append("</p>\n");

        Summary(html, rules, baseline);
        Reps(html, rules, baseline);
        Tiers(html, rules, baseline);
        Unroutable(html, rules, baseline);
        Actual(html, rules, baseline);
        return End(html);
    }

    private static string Name(SimulationReport report) =>
        $"{(report.RulesVersion.Length > 0 ? report.RulesVersion : "(no version)")} ({report.Policy})";

    private static void Summary(StringBuilder html, SimulationReport rules, SimulationReport? baseline)
    {
        html.Append("<section id=\"summary\"><h2>Summary</h2>\n<table class=\"grid\" role=\"presentation\"><tr><th></th>");
        if (baseline is not null)
            html.Append("<th>Baseline</th>");
        html.Append("<th>Rules</th>").Append(baseline is null ? "" : "<th>Difference</th>").Append("</tr>\n");
        Row("Leads routed", r => r.Routed, "0");
        Row("Left unroutable", r => r.Unroutable, "0");
        Row("Gini of leads per rep", r => r.Fairness.Gini, "0.00");
        Row("Rep-weeks under the floor", r => r.Fairness.RepWeeksUnderFloor, "0");
        Row("Ramping reps", r => r.Fairness.RampingReps, "0");
        Row("To another rep than today's owner", r => r.AgainstActual.DifferentRep, "0");
        html.Append("</table>\n<h3>Week by week</h3>\n<table class=\"grid\" role=\"presentation\"><tr><th>Week</th><th>Pooled</th>")
            .Append("<th>Routed</th><th>Unroutable</th><th>Gini</th><th>Under floor</th><th>Ramping</th></tr>\n");
        foreach (var (week, i) in rules.Weeks.Select((w, i) => (w, i)))
        {
            var b = baseline?.Weeks[i];
            html.Append("<tr><td>").Append(E(week.Week)).Append("</td><td>").Append(E(SimulationFormat.Both(b?.Pooled, week.Pooled, "0"))).Append("</td><td>")
                .Append(E(SimulationFormat.Both(b?.Routed, week.Routed, "0"))).Append("</td><td>").Append(E(SimulationFormat.Both(b?.Unroutable, week.Unroutable, "0")))
                .Append("</td><td>").Append(E(SimulationFormat.Both(b?.Gini, week.Gini, "0.00"))).Append("</td><td>")
                .Append(E(SimulationFormat.Both(b?.UnderFloor, week.UnderFloor, "0"))).Append("</td><td>").Append(week.Ramping).Append("</td></tr>\n");
        }
        html.Append("</table>\n");
        if (baseline is not null)
            html.Append("<p class=\"muted\">Two figures read baseline → rules.</p>\n");
        html.Append("</section>\n");

        void Row(string label, Func<SimulationReport, double> figure, string format)
        {
            html.Append("<tr><td>").Append(E(label)).Append("</td>");
            if (baseline is not null)
                html.Append("<td>").Append(E(figure(baseline).ToString(format, Ci))).Append("</td>");
            html.Append("<td><b>").Append(E(figure(rules).ToString(format, Ci))).Append("</b></td>");
            if (baseline is not null)
                html.Append("<td>").Append(E((figure(rules) - figure(baseline)).ToString("+" + format + ";-" + format + ";0", Ci))).Append("</td>");
            html.Append("</tr>\n");
        }
    }

    private static void Reps(StringBuilder html, SimulationReport rules, SimulationReport? baseline)
    {
        html.Append("<section id=\"reps\"><h2>Leads per rep against trust</h2>\n");
        Scatter(html, rules, baseline);
        html.Append("<table class=\"grid\" role=\"presentation\"><tr><th>Rep</th><th>Trust</th><th>Leads</th><th>Share</th>")
            .Append(string.Concat(rules.Tiers.Select(t => $"<th>{E(t.Tier)}</th>"))).Append("<th>Capacity used</th></tr>\n");
        var before = baseline?.Reps.ToDictionary(r => r.RepId, StringComparer.Ordinal);
        foreach (var rep in rules.Reps)
        {
            var b = before?.GetValueOrDefault(rep.RepId);
            html.Append("<tr><td>").Append(E(rep.Name)).Append(rep.WeeksRamping > 0 ? " <span class=\"muted\">ramping</span>" : "")
                .Append("</td><td>").Append(F(rep.Trust)).Append("</td><td>").Append(E(SimulationFormat.Both(before is null ? null : b?.Received ?? 0, rep.Received, "0")))
                .Append("</td><td>").Append(SimulationFormat.Percent(rep.Share)).Append("</td>");
            foreach (var tier in rules.Tiers)
                html.Append("<td>").Append(rep.ReceivedByTier.GetValueOrDefault(tier.Tier)).Append("</td>");
            html.Append("<td>").Append(SimulationFormat.Percent(rep.CapacityUsed)).Append("</td></tr>\n");
        }
        html.Append("</table></section>\n");
    }

    /// <summary>One dot per rep: trust (0-100) across, leads received up; the baseline's dots in another colour.</summary>
    private static void Scatter(StringBuilder html, SimulationReport rules, SimulationReport? baseline)
    {
        const double width = 640, height = 300, left = 44, right = 12, top = 12, bottom = 36;
        var series = new List<(SimulationReport Report, string Colour, string Label)> { (rules, RulesColour, "rules") };
        if (baseline is not null)
            series.Insert(0, (baseline, BaselineColour, "baseline"));
        var most = Math.Max(1, series.Max(s => s.Report.Reps.Select(r => r.Received).DefaultIfEmpty(0).Max()));
        double X(double trust) => left + trust / 100 * (width - left - right);
        double Y(double leads) => height - bottom - leads / most * (height - top - bottom);

        html.Append("<svg class=\"chart scatter\" width=\"640\" height=\"300\" viewBox=\"0 0 640 300\" style=\"height:auto\" role=\"img\" aria-label=\"")
            .Append(E($"leads received per rep (0 to {most}) against trust (0 to 100), {rules.Reps.Count} reps")).Append("\">");
        foreach (var t in new[] { 0, 25, 50, 75, 100 })
        {
            html.Append($"<line x1=\"{F(X(t))}\" x2=\"{F(X(t))}\" y1=\"{F(top)}\" y2=\"{F(height - bottom)}\" stroke=\"#e3e6ea\"/>")
                .Append($"<text x=\"{F(X(t))}\" y=\"{F(height - bottom + 14)}\" font-size=\"14\" text-anchor=\"middle\" fill=\"#555\">{t}</text>");
        }
        foreach (var leads in new[] { 0, most / 2, most }.Distinct())
        {
            html.Append($"<line x1=\"{F(left)}\" x2=\"{F(width - right)}\" y1=\"{F(Y(leads))}\" y2=\"{F(Y(leads))}\" stroke=\"#e3e6ea\"/>")
                .Append($"<text x=\"{F(left - 6)}\" y=\"{F(Y(leads) + 4)}\" font-size=\"14\" text-anchor=\"end\" fill=\"#555\">{leads}</text>");
        }
        html.Append($"<text x=\"{F(X(50))}\" y=\"{F(height - 4)}\" font-size=\"15\" text-anchor=\"middle\" fill=\"#222\">trust</text>")
            .Append($"<text x=\"12\" y=\"{F(top + (height - top - bottom) / 2)}\" font-size=\"15\" text-anchor=\"middle\" fill=\"#222\" ")
            .Append($"transform=\"rotate(-90 12 {F(top + (height - top - bottom) / 2)})\">leads</text>");
        foreach (var (report, colour, _) in series)
        {
            foreach (var rep in report.Reps)
                html.Append($"<circle r=\"3.5\" cx=\"{F(X(rep.Trust))}\" cy=\"{F(Y(rep.Received))}\" fill=\"{colour}\" fill-opacity=\"0.7\"/>");
        }
        html.Append("</svg>\n");
        if (baseline is not null)
            html.Append("<p class=\"muted\">").Append(string.Join(" ", series.Select(s => Swatch(s.Colour) + E(s.Label)))).Append("</p>\n");
    }

    private static void Tiers(StringBuilder html, SimulationReport rules, SimulationReport? baseline)
    {
        html.Append("<section id=\"tiers\"><h2>Tiers</h2>\n");
        TierBars(html, rules, baseline);
        html.Append("<table class=\"grid\" role=\"presentation\"><tr><th>Tier</th><th>Mode</th><th>Routed</th><th>Share</th>")
            .Append("<th>Mean trust</th><th>Capacity used</th><th>Unroutable</th></tr>\n");
        foreach (var tier in rules.Tiers)
        {
            var b = baseline?.Tiers.FirstOrDefault(t => t.Tier == tier.Tier);
            html.Append("<tr><td>").Append(E(tier.Tier)).Append("</td><td>").Append(tier.Mode).Append("</td><td>")
                .Append(E(SimulationFormat.Both(baseline is null ? null : b?.Routed ?? 0, tier.Routed, "0"))).Append("</td><td>")
                .Append(SimulationFormat.Percent(tier.Share)).Append("</td><td>").Append(tier.MeanTrust is { } m ? F(m) : "–").Append("</td><td>")
                .Append(SimulationFormat.Percent(tier.CapacityUsed)).Append("</td><td>")
                .Append(E(SimulationFormat.Both(baseline is null ? null : b?.Unroutable ?? 0, tier.Unroutable, "0"))).Append("</td></tr>\n");
        }
        html.Append("</table></section>\n");
    }

    /// <summary>Each week's routed leads as one bar split by tier share (a baseline bar beside it when there is one).</summary>
    private static void TierBars(StringBuilder html, SimulationReport rules, SimulationReport? baseline)
    {
        const double width = 640, height = 220, top = 8, bottom = 26, gap = 10;
        var tierNames = rules.Tiers.Select(t => t.Tier).Concat(baseline?.Tiers.Select(t => t.Tier) ?? []).Distinct(StringComparer.Ordinal).ToList();
        var bars = rules.Weeks.Select((w, i) => (Week: w.Week, Reports: baseline is null ? [w] : new[] { baseline.Weeks[i], w })).ToList();
        var slot = width / bars.Count;
        var barWidth = (slot - gap) / (baseline is null ? 1 : 2);
        // A week label is about 80 units wide: label every week only when the bars leave room for it.
        var labelEvery = (int)Math.Ceiling(80 / slot);
        html.Append("<svg class=\"chart tier-shares\" width=\"640\" height=\"220\" viewBox=\"0 0 640 220\" style=\"height:auto\" role=\"img\" aria-label=\"")
            .Append(E("share of routed leads by tier, week by week: " + string.Join("; ", rules.Weeks.Select(w =>
                $"{w.Week} {string.Join(", ", w.Tiers.Select(t => $"{t.Tier} {SimulationFormat.Percent(t.Share)}"))}"))))
            .Append("\">");
        for (var i = 0; i < bars.Count; i++)
        {
            for (var s = 0; s < bars[i].Reports.Length; s++)
            {
                var x = i * slot + gap / 2 + s * barWidth;
                var y = top;
                html.Append($"<rect x=\"{F(x)}\" y=\"{F(top)}\" width=\"{F(barWidth - 2)}\" height=\"{F(height - top - bottom)}\" fill=\"#e3e6ea\"/>");
                foreach (var share in bars[i].Reports[s].Tiers)
                {
                    var h = share.Share * (height - top - bottom);
                    html.Append($"<rect x=\"{F(x)}\" y=\"{F(y)}\" width=\"{F(barWidth - 2)}\" height=\"{F(h)}\" fill=\"{Colours[tierNames.IndexOf(share.Tier) % Colours.Length]}\"/>");
                    y += h;
                }
            }
            if (i % labelEvery == 0)
                html.Append($"<text x=\"{F(i * slot + slot / 2)}\" y=\"{F(height - bottom + 16)}\" font-size=\"14\" text-anchor=\"middle\" fill=\"#555\">{E(bars[i].Week)}</text>");
        }
        html.Append("</svg>\n<p class=\"muted\">")
            .Append(string.Join(" ", tierNames.Select((t, i) => Swatch(Colours[i % Colours.Length]) + E($"tier {t}"))))
            .Append(baseline is null ? "" : E("; each week: the baseline's bar, then the rules'")).Append("</p>\n");
    }

    private static void Unroutable(StringBuilder html, SimulationReport rules, SimulationReport? baseline)
    {
        html.Append("<section id=\"unroutable\"><h2>").Append(E($"Left unroutable ({SimulationFormat.Both(baseline?.Unroutable, rules.Unroutable, "0")})")).Append("</h2>\n");
        var reasons = rules.UnroutableByReason.Select(r => r.Reason).Concat(baseline?.UnroutableByReason.Select(r => r.Reason) ?? []).Distinct().Order().ToList();
        if (reasons.Count == 0)
            html.Append("<p>Every pooled lead found a rep.</p>\n");
        else
        {
            html.Append("<ul>\n");
            foreach (var reason in reasons)
            {
                int Count(SimulationReport r) => r.UnroutableByReason.FirstOrDefault(c => c.Reason == reason)?.Leads ?? 0;
                html.Append("<li>").Append(E($"{SimulationFormat.Reason(reason)}: {SimulationFormat.Both(baseline is null ? null : Count(baseline), Count(rules), "0")}")).Append("</li>\n");
            }
            html.Append("</ul>\n");
        }
        html.Append("</section>\n");
    }

    private static void Actual(StringBuilder html, SimulationReport rules, SimulationReport? baseline)
    {
        var a = rules.AgainstActual;
        var b = baseline?.AgainstActual;
        html.Append("<section id=\"actual\"><h2>Against what really happened</h2>\n<p>")
            .Append(E($"Of {SimulationFormat.Both(b?.Routed, a.Routed, "0")} leads routed, {SimulationFormat.Both(b?.SameRep, a.SameRep, "0")} went to the rep who owns them today, " +
                      $"{SimulationFormat.Both(b?.DifferentRep, a.DifferentRep, "0")} to another rep, and {SimulationFormat.Both(b?.StillQueued, a.StillQueued, "0")} are still in a queue today; " +
                      $"{SimulationFormat.Both(b?.UnroutedButOwned, a.UnroutedButOwned, "0")} left unroutable have an owner today."))
            .Append("</p>\n");
        if (a.DifferentRep > 0)
        {
            html.Append("<p>").Append(E($"Where the rep differs, the replayed rep's trust averages {Mean(a.MeanSimulatedTrust)} against {Mean(a.MeanActualTrust)} " +
                                        $"for today's owner{(a.ActualNotScored > 0 ? $" ({a.ActualNotScored} owners had no trust score that week)" : "")}."))
                .Append("</p>\n<table class=\"grid\" role=\"presentation\"><tr><th>Lead</th><th>Week</th><th>Replayed rep</th><th>Today's owner</th></tr>\n");
            foreach (var d in a.Examples)
            {
                html.Append("<tr><td>").Append(E(d.Company ?? d.LeadId)).Append("</td><td>").Append(E(d.Week)).Append("</td><td>")
                    .Append(E($"{d.SimulatedRep} ({F(d.SimulatedTrust)})")).Append("</td><td>")
                    .Append(E($"{d.ActualOwner} ({(d.ActualTrust is { } t ? F(t) : "not scored")})")).Append("</td></tr>\n");
            }
            html.Append("</table>\n");
        }
        html.Append("</section>\n");
    }

    private static string Mean(double? trust) => trust is { } t ? F(t) : "–";
}
