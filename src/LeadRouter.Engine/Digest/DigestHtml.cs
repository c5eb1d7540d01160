using System.Globalization;
using System.Net;
using System.Text;
using LeadRouter.Routing;
using LeadRouter.Rules;
using LeadRouter.Trust;

namespace LeadRouter.Digest;

/// <summary>Renders a manager's digest as one self-contained HTML page (every value HTML-encoded).</summary>
public static class DigestHtml
{
    public static string Render(ManagerDigest digest)
    {
        var html = new StringBuilder(16 * 1024);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<title>").Append(E($"Weekly digest {digest.Week}: {digest.ManagerName}")).Append("</title>")
            .Append("<style>body{font-family:sans-serif;max-width:60em;margin:auto}table{border-collapse:collapse}")
            .Append("td,th{border:1px solid #ccc;padding:.3em .5em;text-align:left}.up{color:#080}.down{color:#b00}</style>")
            .Append("</head><body>\n");
        html.Append("<h1>").Append(E($"Weekly digest {digest.Week}")).Append("</h1>\n<p>")
            .Append(E($"{digest.ManagerName}: {digest.Reps.Count} reps, {digest.LeadsRecommended} leads to approve, " +
                      $"{digest.LeadsAutoAssigned} assigned automatically, {digest.OpportunitiesToRaise} opportunities to raise. " +
                      $"As of {digest.AsOf.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC."))
            .Append("</p>\n");

        html.Append("<h2>Your reps</h2>\n<table><tr><th>Rep</th><th>Trust</th><th>Change</th><th>Confidence</th><th>Why</th><th>To raise it</th></tr>\n");
        foreach (var rep in digest.Reps)
        {
            var t = rep.Trust;
            html.Append("<tr><td>").Append(E(t.Name)).Append("</td><td>").Append(F(t.Trust)).Append("</td><td class=\"")
                .Append(t.Change >= 0 ? "up" : "down").Append("\">").Append(t.Change >= 0 ? "+" : "").Append(F(t.Change))
                .Append("</td><td>").Append(t.Confidence.ToString("P0", CultureInfo.InvariantCulture)).Append("</td><td>")
                .Append(string.Join("<br>", t.Components.Select(c => E($"{Label(c.Kind)}: {c.Evidence}"))))
                .Append("</td><td>").Append(string.Join("<br>", t.Improvements.Select(i => E(i.Text))))
                .Append("</td></tr>\n");
        }
        html.Append("</table>\n");

        html.Append("<h2>Leads for your reps</h2>\n");
        var anyLeads = false;
        foreach (var rep in digest.Reps.Where(r => r.Leads.Count > 0))
        {
            anyLeads = true;
            html.Append("<h3>").Append(E(rep.Trust.Name)).Append("</h3>\n<table><tr><th>Lead</th><th>Tier</th><th>Mode</th><th>Why</th></tr>\n");
            foreach (var lead in rep.Leads)
            {
                html.Append("<tr><td>").Append(E(lead.Company ?? lead.LeadId)).Append("</td><td>").Append(E(lead.Tier))
                    .Append("</td><td>").Append(lead.Mode == RoutingMode.Recommend ? "awaiting your approval" : "assigned automatically")
                    .Append("</td><td>").Append(E(lead.Why)).Append("</td></tr>\n");
            }
            html.Append("</table>\n");
        }
        if (!anyLeads)
            html.Append("<p>No leads were routed to your reps this week.</p>\n");

        html.Append("<h2>Opportunities to raise in the next one-on-one</h2>\n");
        var anyOpportunities = false;
        foreach (var rep in digest.Reps.Where(r => r.Trust.OpportunitiesToRaise.Count > 0))
        {
            anyOpportunities = true;
            html.Append("<h3>").Append(E(rep.Trust.Name)).Append("</h3>\n<ul>\n");
            foreach (var opportunity in rep.Trust.OpportunitiesToRaise)
            {
                html.Append("<li>").Append(E($"{opportunity.OpportunityId} ({opportunity.StageName}"))
                    .Append(opportunity.Amount is { } amount ? E(", " + amount.ToString("N0", CultureInfo.InvariantCulture)) : "")
                    .Append("): ").Append(E(string.Join("; ", opportunity.Reasons))).Append("</li>\n");
            }
            html.Append("</ul>\n");
        }
        if (!anyOpportunities)
            html.Append("<p>Every open opportunity is clean.</p>\n");

        html.Append("<h2>Your side of the trust</h2>\n<p>")
            .Append(digest.Mirror is { } mirror ? E(mirror.Evidence) : "No reviews or delegated tasks recorded.")
            .Append("</p>\n</body></html>\n");
        return html.ToString();
    }

    public static string Label(TrustComponentKind kind) => kind switch
    {
        TrustComponentKind.ReviewAttendance => "Reviews",
        TrustComponentKind.PipelineHonesty => "Pipeline",
        TrustComponentKind.Delegation => "Delegation",
        _ => "Selling activity",
    };

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string F(double value) => value.ToString("0.0", CultureInfo.InvariantCulture);
}
