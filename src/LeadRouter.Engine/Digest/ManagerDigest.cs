using System.Globalization;
using LeadRouter.Routing;
using LeadRouter.Rules;
using LeadRouter.Storage;
using LeadRouter.Trust;

namespace LeadRouter.Digest;

/// <summary>
/// What one manager reads on Monday: the team at a glance (trust with its 12-week trend, who moved
/// most and why), the leads waiting for approval, the manager's own mirror phrased as help, and per
/// rep the components, what would raise the score, the leads routed and the one-on-one agenda.
/// Built from one cycle's trust report and routing run plus the stored weekly scores; renders as
/// HTML (<see cref="DigestHtml"/>) and plain text (<see cref="DigestText"/>).
/// </summary>
/// <param name="TrendWeeks">The weeks of the trend, oldest first; the last is <paramref name="Week"/>.</param>
/// <param name="MovedMost">The rep whose trust changed most since last week; null when nobody moved.</param>
/// <param name="MirrorHelp">The manager's mirror as sentences that say what would help the reps.</param>
public sealed record ManagerDigest(
    string ManagerId,
    string ManagerName,
    string? ManagerEmail,
    string Week,
    DateTimeOffset AsOf,
    IReadOnlyList<string> TrendWeeks,
    RepMove? MovedMost,
    ManagerMirror? Mirror,
    IReadOnlyList<string> MirrorHelp,
    IReadOnlyList<RepDigest> Reps)
{
    /// <summary>Weeks in the sparkline: the trust window.</summary>
    public const int TrendLength = 12;

    /// <summary>Leads listed per rep and in the approvals at the top; the rest are counted.</summary>
    public const int LeadsShown = 8;

    public IEnumerable<DigestLead> AwaitingApproval =>
        Reps.SelectMany(r => r.Leads).Where(l => l.Mode == RoutingMode.Recommend);

    public int LeadsRecommended => Reps.Sum(r => r.Leads.Count(l => l.Mode == RoutingMode.Recommend));
    public int LeadsAutoAssigned => Reps.Sum(r => r.Leads.Count(l => l.Mode == RoutingMode.AutoAssign));
    public int OpportunitiesToRaise => Reps.Sum(r => r.Trust.OpportunitiesToRaise.Count);

    /// <summary>"high", "medium" or "low": how much of a score rests on the rep's own evidence.</summary>
    public static string ConfidenceLabel(double confidence) => confidence switch
    {
        >= 0.7 => "high",
        >= 0.4 => "medium",
        _ => "low",
    };

    /// <summary>
    /// Every manager's digest, managers by id. <paramref name="history"/> holds the stored weekly scores of
    /// earlier weeks (any reps, any weeks: the trend takes the 11 weeks before the report's); this week's
    /// point is the report's own score. <paramref name="emails"/> maps user ids to e-mail addresses.
    /// </summary>
    public static IReadOnlyList<ManagerDigest> Build(
        TrustReport trust, RoutingRun routing, IReadOnlyList<TrustScore> history, IReadOnlyDictionary<string, string?> emails)
    {
        var weeks = TrendWeeksEnding(trust.Week);
        var lastWeek = weeks[^2];
        var stored = history.ToLookup(s => s.RepId, StringComparer.Ordinal);
        var leadsByRep = routing.Decisions
            .GroupBy(d => d.RepId, StringComparer.Ordinal)
            .ToDictionary(
                g => g.Key,
                g => (IReadOnlyList<DigestLead>)g
                    .Select(d => new DigestLead(d.LeadId, d.Lead.Company, d.RepId, d.Rep.Name, d.Tier, d.Rule, d.Mode, d.Why))
                    .OrderBy(l => l.Tier, StringComparer.Ordinal)
                    .ThenBy(l => l.LeadId, StringComparer.Ordinal)
                    .ToList(),
                StringComparer.Ordinal);
        var mirrors = trust.Managers.ToDictionary(m => m.ManagerId, StringComparer.Ordinal);
        return trust.Reps
            .GroupBy(r => r.ManagerId, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(team =>
            {
                mirrors.TryGetValue(team.Key, out var mirror);
                var reps = team
                    .OrderByDescending(r => r.Trust)
                    .ThenBy(r => r.RepId, StringComparer.Ordinal)
                    .Select(r => new RepDigest(
                        r,
                        Trend(r, stored[r.RepId], weeks),
                        leadsByRep.GetValueOrDefault(r.RepId, []),
                        Agenda(r.OpportunitiesToRaise)))
                    .ToList();
                return new ManagerDigest(
                    team.Key, mirror?.Name ?? team.Key, emails.GetValueOrDefault(team.Key), trust.Week, trust.AsOf, weeks,
                    FindMovedMost(team, stored, lastWeek), mirror, HelpFromMirror(mirror), reps);
            })
            .ToList();
    }

    /// <summary>The <see cref="TrendLength"/> ISO weeks ending with <paramref name="week"/> ("2026-W48"), oldest first.</summary>
    public static IReadOnlyList<string> TrendWeeksEnding(string week)
    {
        var monday = ISOWeek.ToDateTime(
            int.Parse(week.AsSpan(0, 4), CultureInfo.InvariantCulture), int.Parse(week.AsSpan(6, 2), CultureInfo.InvariantCulture),
            DayOfWeek.Monday);
        return Enumerable.Range(0, TrendLength)
            .Select(i => TrustScoreStore.WeekOf(DateOnly.FromDateTime(monday.AddDays(-7 * (TrendLength - 1 - i)))))
            .ToList();
    }

    private static IReadOnlyList<double?> Trend(RepTrust rep, IEnumerable<TrustScore> stored, IReadOnlyList<string> weeks)
    {
        var byWeek = stored.ToDictionary(s => s.Week, s => s.Trust, StringComparer.Ordinal);
        return weeks.Select((week, i) => i == weeks.Count - 1 ? rep.Trust : byWeek.TryGetValue(week, out var t) ? t : (double?)null).ToList();
    }

    /// <summary>
    /// The rep with the largest change since last week; why = the component whose weighted points moved
    /// most against last week's stored score (none when last week was not stored).
    /// </summary>
    private static RepMove? FindMovedMost(IEnumerable<RepTrust> team, ILookup<string, TrustScore> stored, string lastWeek)
    {
        var rep = team
            .Where(r => Math.Round(r.Change, 1) != 0)
            .OrderByDescending(r => Math.Abs(r.Change))
            .ThenBy(r => r.RepId, StringComparer.Ordinal)
            .FirstOrDefault();
        if (rep is null)
            return null;
        var previous = stored[rep.RepId].FirstOrDefault(s => s.Week == lastWeek);
        string? why = null;
        if (previous is not null)
        {
            var moved = rep.Components
                .Select(c => (Component: c, Points: 100 * c.Weight * (c.Value - StoredValue(previous, c.Kind))))
                .OrderByDescending(m => Math.Abs(m.Points))
                .First();
            why = string.Create(CultureInfo.InvariantCulture,
                $"{DigestHtml.Label(moved.Component.Kind).ToLowerInvariant()} {moved.Points:+0.0;-0.0} points: {moved.Component.Evidence}");
        }
        return new RepMove(rep.RepId, rep.Name, rep.Change, why);
    }

    private static double StoredValue(TrustScore score, TrustComponentKind kind) => kind switch
    {
        TrustComponentKind.ReviewAttendance => score.ReviewAttendance,
        TrustComponentKind.PipelineHonesty => score.PipelineHonesty,
        TrustComponentKind.Delegation => score.Delegation,
        _ => score.SellingActivity,
    };

    /// <summary>The manager's side of trust, as what would help the reps (never as blame).</summary>
    private static IReadOnlyList<string> HelpFromMirror(ManagerMirror? mirror)
    {
        if (mirror is null)
            return ["No reviews or delegated tasks are recorded for your team yet: a weekly one-on-one with each rep gives their scores real evidence."];
        var ci = CultureInfo.InvariantCulture;
        var help = new List<string>();
        var missed = mirror.Weeks - mirror.WeeksWithReview;
        help.Add(missed > 0
            ? string.Create(ci, $"No review was held in {missed} of the last {mirror.Weeks} weeks: your reps are scored as if they had attended, so their attendance rests on less evidence. A weekly one-on-one fixes that.")
            : string.Create(ci, $"You held reviews in each of the last {mirror.Weeks} weeks ({mirror.ReviewsHeld} in all): your reps' attendance rests on real evidence."));
        if (mirror.OpenOverdue > 0)
            help.Add(string.Create(ci, $"{Count(mirror.OpenOverdue, "task")} your reps delegated to you {(mirror.OpenOverdue == 1 ? "is" : "are")} overdue: closing {(mirror.OpenOverdue == 1 ? "it" : "them")} keeps delegating worth their while."));
        if (mirror.CompletedLate > 0)
            help.Add(string.Create(ci, $"{Count(mirror.CompletedLate, "delegated task")} {(mirror.CompletedLate == 1 ? "was" : "were")} done late; {mirror.CompletedInTime} on time."));
        if (mirror.DelegatedTasks == 0)
            help.Add("Your reps delegated no admin work to you: inviting them to would free their selling time and raise their delegation score.");
        return help;
    }

    /// <summary>The opportunities to raise, grouped by their most serious problem; groups in that order, largest amounts first.</summary>
    private static IReadOnlyList<AgendaGroup> Agenda(IReadOnlyList<OpportunityToRaise> opportunities) =>
        opportunities
            .GroupBy(o => Problems.FirstOrDefault(p => (o.Flags & p.Flag) != 0, (Flag: OpportunityFlags.None, Title: "Other")))
            .OrderBy(g => g.Key.Flag == OpportunityFlags.None ? Problems.Length : Array.IndexOf(Problems, g.Key))
            .Select(g => new AgendaGroup(
                g.Key.Flag,
                g.Key.Title,
                g.OrderByDescending(o => o.Amount ?? 0).ThenBy(o => o.OpportunityId, StringComparer.Ordinal).ToList()))
            .ToList();

    /// <summary>What can be wrong with an open opportunity, most serious first.</summary>
    private static readonly (OpportunityFlags Flag, string Title)[] Problems =
    [
        (OpportunityFlags.CloseDatePast, "Close date has passed"),
        (OpportunityFlags.CloseDatePushedTooOften, "Close date pushed too often"),
        (OpportunityFlags.Stale, "No recent activity"),
        (OpportunityFlags.NoNextStep, "No next step"),
        (OpportunityFlags.NextStepDatePast, "Next step is overdue"),
        (OpportunityFlags.NextStepDateMissing, "Next step has no date"),
        (OpportunityFlags.NoDecisionMaker, "No decision maker"),
    ];

    /// <summary>The titles of the problems in <paramref name="flags"/> other than <paramref name="except"/>, most serious first.</summary>
    internal static IEnumerable<string> OtherProblems(OpportunityFlags flags, OpportunityFlags except) =>
        Problems.Where(p => p.Flag != except && (flags & p.Flag) != 0).Select(p => p.Title.ToLowerInvariant());

    private static string Count(int n, string noun) => string.Create(CultureInfo.InvariantCulture, $"{n} {noun}{(n == 1 ? "" : "s")}");
}

/// <param name="Trend">Trust in each of <see cref="ManagerDigest.TrendWeeks"/>; null where no score is stored.</param>
public sealed record RepDigest(RepTrust Trust, IReadOnlyList<double?> Trend, IReadOnlyList<DigestLead> Leads, IReadOnlyList<AgendaGroup> Agenda)
{
    /// <summary>The leads by tier and mode: one line each in the digest, the reason said once.</summary>
    public IEnumerable<IGrouping<(string Tier, RoutingMode Mode), DigestLead>> LeadGroups =>
        Leads.GroupBy(l => (l.Tier, l.Mode));
}

/// <param name="Why">The component that moved the score most, in words; null when last week's components are not stored.</param>
public sealed record RepMove(string RepId, string Name, double Change, string? Why);

/// <summary>Opportunities that share their most serious problem (<paramref name="Flag"/>; None for "Other").</summary>
public sealed record AgendaGroup(OpportunityFlags Flag, string Problem, IReadOnlyList<OpportunityToRaise> Opportunities)
{
    public decimal Amount => Opportunities.Sum(o => o.Amount ?? 0);
}

/// <param name="Rule">The tier rule the lead matched.</param>
public sealed record DigestLead(string LeadId, string? Company, string RepId, string RepName, string Tier, string Rule, RoutingMode Mode, string Why)
{
    public string ApproveCommand => $"leadrouter approve --lead {LeadId}";
}
