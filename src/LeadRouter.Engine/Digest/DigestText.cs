using System.Globalization;
using System.Text;
using LeadRouter.Rules;
using LeadRouter.Trust;

namespace LeadRouter.Digest;

/// <summary>A manager's digest as plain text (the e-mail's text part), in the order of the HTML page.</summary>
public static class DigestText
{
    private const string Spark = "▁▂▃▄▅▆▇█";

    public static string Render(ManagerDigest digest)
    {
        var ci = CultureInfo.InvariantCulture;
        var text = new StringBuilder(8 * 1024);
        text.AppendLine(ci, $"Weekly digest {digest.Week} for {digest.ManagerName}");
        text.AppendLine(DigestFormat.Headline(digest));
        text.AppendLine();

        text.AppendLine(ci, $"YOUR TEAM (trust 0-100; trend over {ManagerDigest.TrendLength} weeks, oldest first)");
        var width = digest.Reps.Count == 0 ? 0 : digest.Reps.Max(r => r.Trust.Name.Length);
        foreach (var rep in digest.Reps)
        {
            var t = rep.Trust;
            text.AppendLine(ci,
                $"  {t.Name.PadRight(width)}  {t.Trust,5:0.0} {Sparkline(rep.Trend)} {DigestFormat.Change(t.Change),5}  {DigestFormat.Confidence(t)}");
        }
        text.AppendLine(DigestFormat.MovedMost(digest));
        text.AppendLine();

        var awaiting = digest.AwaitingApproval.ToList();
        text.AppendLine(ci, $"WAITING FOR YOUR APPROVAL ({awaiting.Count})");
        if (awaiting.Count == 0)
            text.AppendLine("  Nothing waits for you this week.");
        foreach (var lead in awaiting.Take(ManagerDigest.LeadsShown))
            text.AppendLine(ci, $"  {DigestFormat.Company(lead)}, tier {lead.Tier}, for {lead.RepName}: {lead.ApproveCommand}");
        if (awaiting.Count > ManagerDigest.LeadsShown)
            text.AppendLine(ci, $"  and {awaiting.Count - ManagerDigest.LeadsShown} more, listed under each rep below.");
        text.AppendLine();

        text.AppendLine("YOUR SIDE OF THE TRUST");
        foreach (var help in digest.MirrorHelp)
            text.AppendLine(ci, $"  - {help}");

        foreach (var rep in digest.Reps)
        {
            var t = rep.Trust;
            text.AppendLine();
            text.AppendLine(ci, $"== {t.Name}: trust {t.Trust:0.0} ({DigestFormat.Change(t.Change)} since last week), {DigestFormat.Confidence(t)}, {t.WeeksOfData} weeks of data");
            foreach (var c in t.Components)
                text.AppendLine(ci, $"  {DigestHtml.Label(c.Kind) + ":",-18}{DigestFormat.Points(c),5:0.0} of {100 * c.Weight,2:0}  {c.Evidence}");
            text.AppendLine(ci, $"  To raise it most: {DigestFormat.Improvements(t)}");

            text.AppendLine(ci, $"  Leads: {DigestFormat.LeadCounts(rep)}");
            foreach (var group in rep.LeadGroups)
            {
                text.AppendLine(ci, $"    {DigestFormat.LeadGroup(group)}: {DigestFormat.Companies(group)}");
                text.AppendLine(ci, $"      why: {group.First().Why}");
            }

            text.AppendLine(rep.Agenda.Count == 0 ? "  One-on-one agenda: every open opportunity is clean." : "  One-on-one agenda:");
            foreach (var group in rep.Agenda)
            {
                text.AppendLine(ci, $"    {group.Problem}: {group.Opportunities.Count}, {DigestFormat.Amount(group.Amount)} in all");
                foreach (var o in group.Opportunities.Take(DigestFormat.OpportunitiesShown))
                    text.AppendLine(ci, $"      {DigestFormat.Opportunity(o, group)}");
                if (group.Opportunities.Count > DigestFormat.OpportunitiesShown)
                    text.AppendLine(ci, $"      and {group.Opportunities.Count - DigestFormat.OpportunitiesShown} more");
            }
        }
        return text.ToString();
    }

    /// <summary>One block character per week (▁ lowest to █ highest on 0-100), '·' where no score is stored.</summary>
    public static string Sparkline(IReadOnlyList<double?> trend) =>
        string.Concat(trend.Select(t => t is { } v ? Spark[Math.Clamp((int)(v / 100 * Spark.Length), 0, Spark.Length - 1)] : '·'));
}

/// <summary>The phrases the HTML and text digests share, so both say the same thing.</summary>
public static class DigestFormat
{
    /// <summary>Opportunities listed per agenda group; the rest are counted.</summary>
    public const int OpportunitiesShown = 3;

    /// <summary>Companies named per group of leads; the rest are counted.</summary>
    public const int CompaniesShown = 5;

    private static readonly CultureInfo Ci = CultureInfo.InvariantCulture;

    public static string Headline(ManagerDigest d) => string.Create(Ci,
        $"As of {d.AsOf.UtcDateTime:yyyy-MM-dd HH:mm} UTC: {d.Reps.Count} reps, {d.LeadsRecommended} leads waiting for your approval, " +
        $"{d.LeadsAutoAssigned} assigned automatically, {d.OpportunitiesToRaise} opportunities to raise.");

    public static string Change(double change) => change.ToString("+0.0;-0.0;0.0", Ci);

    public static string Confidence(RepTrust rep) =>
        string.Create(Ci, $"confidence {ManagerDigest.ConfidenceLabel(rep.Confidence)} ({100 * rep.Confidence:0}%)");

    /// <summary>The component's points toward the score: weight × value × 100.</summary>
    public static double Points(TrustComponent c) => 100 * c.Weight * c.Value;

    public static string MovedMost(ManagerDigest d) => d.MovedMost is not { } move
        ? "Nobody's trust moved since last week."
        : string.Create(Ci, $"Moved most: {move.Name}, {Change(move.Change)} since last week{(move.Why is null ? "" : $" ({move.Why})")}.");

    public static string Improvements(RepTrust rep) => rep.Improvements.Count == 0
        ? "nothing left to raise: keep it up."
        : string.Join("; ", rep.Improvements.Select(i => i.Text));

    public static string LeadCounts(RepDigest rep) => rep.Leads.Count == 0
        ? "none this week."
        : string.Join(", ", rep.Leads
            .GroupBy(l => (l.Tier, l.Mode))
            .Select(g => string.Create(Ci, $"{g.Count()} tier {g.Key.Tier} {(g.Key.Mode == RoutingMode.Recommend ? "to approve" : "assigned")}")));

    public static string Mode(RoutingMode mode) => mode == RoutingMode.Recommend ? "awaiting your approval" : "assigned";

    public static string Company(DigestLead lead) => lead.Company ?? lead.LeadId;

    /// <summary>"tier B, awaiting your approval (13: 10 Warm lead, 3 Enterprise segment)": the rules by how many leads matched them.</summary>
    public static string LeadGroup(IGrouping<(string Tier, RoutingMode Mode), DigestLead> group)
    {
        var rules = group.GroupBy(l => l.Rule, StringComparer.Ordinal)
            .OrderByDescending(r => r.Count()).ThenBy(r => r.Key, StringComparer.Ordinal)
            .Select(r => string.Create(Ci, $"{r.Count()} {r.Key}"));
        return string.Create(Ci, $"tier {group.Key.Tier}, {Mode(group.Key.Mode)} ({group.Count()}: {string.Join(", ", rules)})");
    }

    /// <summary>The first <see cref="CompaniesShown"/> companies, then how many more.</summary>
    public static string Companies(IEnumerable<DigestLead> leads)
    {
        var all = leads.ToList();
        var shown = string.Join(", ", all.Take(CompaniesShown).Select(Company));
        return all.Count > CompaniesShown ? string.Create(Ci, $"{shown} and {all.Count - CompaniesShown} more") : shown;
    }

    public static string Amount(decimal amount) => amount.ToString("N0", Ci);

    /// <summary>An opportunity on the agenda: id, stage, amount, close date and its other problems (the group names the first).</summary>
    public static string Opportunity(OpportunityToRaise o, AgendaGroup group)
    {
        var others = string.Join(", ", ManagerDigest.OtherProblems(o.Flags, group.Flag));
        return string.Create(Ci,
            $"{o.OpportunityId} {o.StageName}, {(o.Amount is { } a ? Amount(a) : "no amount")}, " +
            $"{(o.CloseDate is { } d ? "closes " + d.ToString("yyyy-MM-dd", Ci) : "no close date")}{(others.Length > 0 ? "; also " + others : "")}");
    }
}
