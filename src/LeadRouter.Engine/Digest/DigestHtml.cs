using System.Globalization;
using System.Text;
using LeadRouter.Trust;

namespace LeadRouter.Digest;

/// <summary>
/// Renders a manager's digest as one self-contained HTML page: inline CSS and SVG, no script, nothing
/// fetched. Layout is tables at most 680 px wide that wrap down to a phone; every chart has its
/// figures beside it in words, so a mail client that drops SVG loses nothing. Every value is HTML-encoded.
/// </summary>
public static class DigestHtml
{
    private static readonly CultureInfo Ci = HtmlPage.Ci;

    /// <summary>Component colours, by <see cref="TrustComponentKind"/>.</summary>
    private static readonly string[] Colours = HtmlPage.Colours;

    public static string Render(ManagerDigest digest)
    {
        var html = HtmlPage.Begin($"Weekly digest {digest.Week}: {digest.ManagerName}");
        html.Append("<h1>").Append(E($"Weekly digest {digest.Week}")).Append("</h1>\n<p class=\"muted\">")
            .Append(E($"{digest.ManagerName}. {DigestFormat.Headline(digest)}")).Append("</p>\n");

        Team(html, digest);
        Approvals(html, digest);
        html.Append("<section id=\"mirror\"><h2>Your side of the trust</h2><ul>\n");
        foreach (var help in digest.MirrorHelp)
            html.Append("<li>").Append(E(help)).Append("</li>\n");
        html.Append("</ul></section>\n");

        html.Append("<section id=\"reps\"><h2>Rep by rep</h2>\n");
        foreach (var rep in digest.Reps)
            Rep(html, rep);
        html.Append("</section>\n");
        return HtmlPage.End(html);
    }

    public static string Label(TrustComponentKind kind) => kind switch
    {
        TrustComponentKind.ReviewAttendance => "Reviews",
        TrustComponentKind.PipelineHonesty => "Pipeline",
        TrustComponentKind.Delegation => "Delegation",
        _ => "Selling activity",
    };

    /// <summary>Each rep's trust as a bar (paler when confidence is low), the 12-week sparkline, the change and the confidence.</summary>
    private static void Team(StringBuilder html, ManagerDigest digest)
    {
        html.Append("<section id=\"team\"><h2>Your team at a glance</h2>\n<table class=\"grid\" role=\"presentation\">")
            .Append("<tr><th>Rep</th><th>Trust</th><th>").Append(E($"{ManagerDigest.TrendLength} weeks")).Append("</th></tr>\n");
        foreach (var rep in digest.Reps)
        {
            var t = rep.Trust;
            html.Append("<tr><td><a href=\"#rep-").Append(E(t.RepId)).Append("\">").Append(E(t.Name)).Append("</a><br><span class=\"muted\">")
                .Append(E(DigestFormat.Confidence(t))).Append("</span></td><td><b>").Append(F(t.Trust)).Append("</b> <span class=\"")
                .Append(t.Change >= 0 ? "up" : "down").Append("\">").Append(DigestFormat.Change(t.Change)).Append("</span>");
            TrustBar(html, t);
            html.Append("</td><td>");
            Sparkline(html, rep.Trend, digest.TrendWeeks);
            html.Append("</td></tr>\n");
        }
        html.Append("</table>\n<p>").Append(E(DigestFormat.MovedMost(digest))).Append("</p></section>\n");
    }

    private static void Approvals(StringBuilder html, ManagerDigest digest)
    {
        var awaiting = digest.AwaitingApproval.ToList();
        html.Append("<section id=\"approvals\"><h2>").Append(E($"Waiting for your approval ({awaiting.Count})")).Append("</h2>\n");
        if (awaiting.Count == 0)
            html.Append("<p>Nothing waits for you this week.</p>");
        else
        {
            html.Append("<ul>\n");
            foreach (var lead in awaiting.Take(ManagerDigest.LeadsShown))
            {
                html.Append("<li>").Append(E($"{DigestFormat.Company(lead)}, tier {lead.Tier}, for {lead.RepName}: "))
                    .Append("<code>").Append(E(lead.ApproveCommand)).Append("</code></li>\n");
            }
            html.Append("</ul>\n");
            if (awaiting.Count > ManagerDigest.LeadsShown)
                html.Append("<p class=\"muted\">").Append(E($"and {awaiting.Count - ManagerDigest.LeadsShown} more, listed under each rep below.")).Append("</p>");
        }
        html.Append("</section>\n");
    }

    private static void Rep(StringBuilder html, RepDigest rep)
    {
        var t = rep.Trust;
        html.Append("<section class=\"rep\" id=\"rep-").Append(E(t.RepId)).Append("\"><h3>").Append(E(t.Name)).Append("</h3>\n<p>")
            .Append(E($"Trust {F(t.Trust)} ({DigestFormat.Change(t.Change)} since last week), {DigestFormat.Confidence(t)}, {t.WeeksOfData} weeks of data."))
            .Append("</p>\n");
        ComponentBar(html, t);
        html.Append("<table class=\"grid\" role=\"presentation\">\n");
        foreach (var c in t.Components)
        {
            html.Append("<tr><td>").Append(HtmlPage.Swatch(Colours[(int)c.Kind]))
                .Append(E(Label(c.Kind))).Append("</td><td>").Append(E($"{F(DigestFormat.Points(c))} of {W(c)}"))
                .Append("</td><td>").Append(E(c.Evidence)).Append("</td></tr>\n");
        }
        html.Append("</table>\n<p><b>To raise it most:</b> ").Append(E(DigestFormat.Improvements(t))).Append("</p>\n");

        html.Append("<p><b>Leads:</b> ").Append(E(DigestFormat.LeadCounts(rep))).Append("</p>\n");
        if (rep.Leads.Count > 0)
        {
            html.Append("<ul class=\"leads\">\n");
            foreach (var group in rep.LeadGroups)
            {
                html.Append("<li><b>").Append(E(DigestFormat.LeadGroup(group))).Append(":</b> ")
                    .Append(E(DigestFormat.Companies(group))).Append("<br><span class=\"muted\">").Append(E("why: " + group.First().Why))
                    .Append("</span></li>\n");
            }
            html.Append("</ul>\n");
        }

        html.Append("<p><b>One-on-one agenda:</b>").Append(rep.Agenda.Count == 0 ? " every open opportunity is clean." : "").Append("</p>\n");
        foreach (var group in rep.Agenda)
        {
            html.Append("<p>").Append(E($"{group.Problem}: {group.Opportunities.Count}, {DigestFormat.Amount(group.Amount)} in all")).Append("</p><ul>\n");
            foreach (var o in group.Opportunities.Take(DigestFormat.OpportunitiesShown))
                html.Append("<li>").Append(E(DigestFormat.Opportunity(o, group))).Append("</li>\n");
            if (group.Opportunities.Count > DigestFormat.OpportunitiesShown)
                html.Append("<li class=\"muted\">").Append(E($"and {group.Opportunities.Count - DigestFormat.OpportunitiesShown} more")).Append("</li>\n");
            html.Append("</ul>\n");
        }
        html.Append("</section>\n");
    }

    /// <summary>Trust 0-100 as a bar; the fill is as strong as the confidence, so a guess looks like one.</summary>
    private static void TrustBar(StringBuilder html, RepTrust t) =>
        html.Append("<svg class=\"chart trust-bar\" width=\"140\" height=\"10\" viewBox=\"0 0 100 10\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"")
            .Append(E($"trust {F(t.Trust)} of 100")).Append("\"><rect width=\"100\" height=\"10\" fill=\"#e3e6ea\"/><rect width=\"")
            .Append(F(t.Trust)).Append("\" height=\"10\" fill=\"#4e79a7\" fill-opacity=\"").Append((0.3 + 0.7 * t.Confidence).ToString("0.00", Ci))
            .Append("\"/></svg>");

    /// <summary>The trend as a line over 0-100; weeks without a stored score break the line.</summary>
    private static void Sparkline(StringBuilder html, IReadOnlyList<double?> trend, IReadOnlyList<string> weeks)
    {
        const double width = 120, height = 28;
        double X(int i) => trend.Count == 1 ? width / 2 : 2 + i * (width - 4) / (trend.Count - 1);
        double Y(double v) => height - 2 - v / 100 * (height - 4);
        var known = trend.Select((v, i) => (v, i)).Where(p => p.v is not null).Select(p => $"{F(p.v!.Value)} in {weeks[p.i]}");
        html.Append("<svg class=\"chart spark\" width=\"120\" height=\"28\" viewBox=\"0 0 120 28\" role=\"img\" aria-label=\"")
            .Append(E("trust by week: " + string.Join(", ", known))).Append("\"><line x1=\"0\" x2=\"120\" y1=\"")
            .Append(F(Y(50))).Append("\" y2=\"").Append(F(Y(50))).Append("\" stroke=\"#e3e6ea\"/>");
        var segment = new List<string>();
        void Flush()
        {
            if (segment.Count > 1)
                html.Append("<polyline fill=\"none\" stroke=\"#4e79a7\" stroke-width=\"1.5\" points=\"").Append(string.Join(' ', segment)).Append("\"/>");
            segment.Clear();
        }
        for (var i = 0; i < trend.Count; i++)
        {
            if (trend[i] is { } v)
                segment.Add($"{F(X(i))},{F(Y(v))}");
            else
                Flush();
        }
        Flush();
        if (trend[^1] is { } last)
            html.Append("<circle r=\"2.5\" fill=\"#4e79a7\" cx=\"").Append(F(X(trend.Count - 1))).Append("\" cy=\"").Append(F(Y(last))).Append("\"/>");
        html.Append("</svg>");
    }

    /// <summary>The four components stacked on a 0-100 scale: each segment is the points it gives (weight × value × 100).</summary>
    private static void ComponentBar(StringBuilder html, RepTrust t)
    {
        html.Append("<svg class=\"chart components\" width=\"100%\" height=\"16\" viewBox=\"0 0 100 16\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"")
            .Append(E(string.Join(", ", t.Components.Select(c => $"{Label(c.Kind)} {F(DigestFormat.Points(c))} of {W(c)}"))))
            .Append("\"><rect width=\"100\" height=\"16\" fill=\"#e3e6ea\"/>");
        var x = 0.0;
        foreach (var c in t.Components)
        {
            var points = DigestFormat.Points(c);
            html.Append("<rect x=\"").Append(F(x)).Append("\" width=\"").Append(F(points)).Append("\" height=\"16\" fill=\"")
                .Append(Colours[(int)c.Kind]).Append("\"/>");
            x += points;
        }
        html.Append("</svg>\n");
    }

    private static string E(string text) => HtmlPage.E(text);

    private static string F(double value) => HtmlPage.F(value);

    /// <summary>A component's weight as the points it can give.</summary>
    private static string W(TrustComponent c) => (100 * c.Weight).ToString("0", Ci);
}
