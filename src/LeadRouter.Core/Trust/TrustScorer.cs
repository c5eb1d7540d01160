using System.Globalization;
using System.Runtime.InteropServices;
using LeadRouter.Org;

namespace LeadRouter.Trust;

/// <summary>
/// Scores every rep's trust from an org snapshot, as of a moment: pure (no I/O, no clock), deterministic
/// whatever the machine's time zone or culture. Create one per settings and reuse it: patterns are
/// compiled and the time zone resolved once. Thread-safe: each <see cref="Score"/> call has its own state.
/// </summary>
public sealed class TrustScorer
{
    private const int MaxImprovements = 3;
    private const double MinImprovementPoints = 0.05;

    private readonly TrustSettings settings;
    private readonly TimeZoneInfo zone;
    private readonly ActivityPatterns patterns;
    private readonly double[] weights;

    /// <exception cref="ArgumentException">A setting is out of range, a pattern does not compile or the time zone is unknown.</exception>
    public TrustScorer(TrustSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Validate(settings);
        this.settings = settings;
        zone = TrustCalendar.ResolveZone(settings.TimeZone);
        patterns = new ActivityPatterns(settings);
        weights = TrustView.Weights(settings.Weights);
    }

    public TrustSettings Settings => settings;

    /// <summary>
    /// The oldest activity a score as of <paramref name="asOf"/> reads: the window, and the week before it for
    /// the view a week earlier. Open tasks are read whatever their age.
    /// </summary>
    public static DateTimeOffset ActivitySince(DateTimeOffset asOf, int windowWeeks) => asOf.AddDays(-7 * (windowWeeks + 1));

    /// <param name="storedScores">
    /// The weekly scores kept from earlier runs (any reps, any weeks; others are ignored): the change since
    /// last week and the trend come from them, since the snapshot holds only each opportunity's current state.
    /// </param>
    public TrustReport Score(OrgSnapshot org, DateTimeOffset asOf, IReadOnlyList<StoredTrust>? storedScores = null)
    {
        ArgumentNullException.ThrowIfNull(org);
        var issues = new IssueLog();
        var calendar = new TrustCalendar(zone, asOf, settings.WindowWeeks, settings.HalfLifeWeeks);
        var roster = new RepRoster(org.Users ?? [], settings.MinTeamSize, issues);
        var ledger = new TrustLedger(org, roster, calendar, new ActivityClassifier(patterns), settings.DelegatedTaskServiceDays, issues);
        var current = new TrustView(TrustCalendar.Current, roster, ledger, calendar, settings);
        var previous = new TrustView(TrustCalendar.Previous, roster, ledger, calendar, settings);
        var toRaise = OpportunitiesToRaise(roster, ledger, calendar);
        var history = StoredHistory(storedScores, calendar);

        var reps = new RepTrust[roster.Reps.Count];
        for (var r = 0; r < reps.Length; r++)
        {
            var user = roster.Reps[r];
            var components = new TrustComponent[TrustView.ComponentCount];
            for (var c = 0; c < components.Length; c++)
            {
                var tally = current.Tallies[c][r];
                components[c] = new TrustComponent((TrustComponentKind)c, current.Values[c][r], tally.Raw, current.Priors[c][r],
                    weights[c], tally.SumWN, tally.Hits, tally.OutOf, Evidence((TrustComponentKind)c, current, r));
            }
            var stored = history.GetValueOrDefault(user.Id);
            var previousTrust = stored?[1] ?? previous.Trust[r];
            reps[r] = new RepTrust(user.Id, user.Name, user.ManagerId!, current.Trust[r], current.Confidence[r], current.WeeksOfData[r],
                components, previousTrust, current.Trust[r] - previousTrust, stored?[1] is not null, Trend(stored, calendar, current.Trust[r]),
                Improvements(current, roster, r), toRaise[r] ?? []);
        }

        return new TrustReport(asOf, calendar.WeekLabel, settings.TimeZone, reps,
            ManagerMirrors(roster, ledger, calendar), issues.ToList());
    }

    /// <summary>Stored trust per rep id and week age (1 to WindowWeeks-1; null where none is kept).</summary>
    private static Dictionary<string, double?[]> StoredHistory(IReadOnlyList<StoredTrust>? storedScores, TrustCalendar calendar)
    {
        var history = new Dictionary<string, double?[]>(StringComparer.Ordinal);
        if (storedScores is null)
            return history;
        var ageOfWeek = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var age = 1; age < calendar.Weeks; age++)
            ageOfWeek[calendar.WeekLabels[age]] = age;
        foreach (var score in storedScores)
        {
            if (score?.RepId is null || score.Week is null || !ageOfWeek.TryGetValue(score.Week, out var age) || !double.IsFinite(score.Trust))
                continue;
            if (!history.TryGetValue(score.RepId, out var weeks))
                history[score.RepId] = weeks = new double?[calendar.Weeks];
            weeks[age] = score.Trust;
        }
        return history;
    }

    /// <summary>The stored weeks of the window, oldest first, then this week's score.</summary>
    private static List<TrustWeek> Trend(double?[]? stored, TrustCalendar calendar, double trust)
    {
        var trend = new List<TrustWeek>(calendar.Weeks);
        for (var age = calendar.Weeks - 1; age >= 1; age--)
        {
            if (stored?[age] is { } weekTrust)
                trend.Add(new TrustWeek(calendar.WeekLabels[age], weekTrust));
        }
        trend.Add(new TrustWeek(calendar.WeekLabel, trust));
        return trend;
    }

    private string Evidence(TrustComponentKind kind, TrustView view, int r)
    {
        var tally = view.Tallies[(int)kind][r];
        var weeks = settings.WindowWeeks;
        switch (kind)
        {
            case TrustComponentKind.ReviewAttendance:
                return tally.OutOf == 0
                    ? Text($"no review with their manager was held in the last {weeks} weeks: scored at the team prior")
                    : Text($"attended {tally.Hits} of {tally.OutOf} reviews held in the last {weeks} weeks");
            case TrustComponentKind.PipelineHonesty:
                if (tally.OutOf == 0)
                    return "no open opportunity: scored at the team prior";
                var opportunities = view.PipelineOpportunities[r];
                var failures = new List<string>();
                AddFailure(OpportunityFlags.NoNextStep, "without a next step");
                var undated = Failures(view, r, OpportunityFlags.NextStepDateMissing) + Failures(view, r, OpportunityFlags.NextStepDatePast);
                if (undated > 0)
                    failures.Add(Text($"{undated} without a future next-step date"));
                AddFailure(OpportunityFlags.CloseDatePast, "with a past close date");
                AddFailure(OpportunityFlags.Stale, Text($"idle for more than {settings.StaleAfterDays} days"));
                AddFailure(OpportunityFlags.NoDecisionMaker, "without a decision maker");
                AddFailure(OpportunityFlags.CloseDatePushedTooOften, Text($"pushed more than {settings.MaxCloseDatePushes} times"));
                var summary = Text($"{tally.Hits} of {tally.OutOf} pipeline checks passed on {opportunities} open {Opportunities(opportunities)}");
                return failures.Count == 0 ? summary : summary + ": " + string.Join(", ", failures);

                void AddFailure(OpportunityFlags flag, string what)
                {
                    var count = Failures(view, r, flag);
                    if (count > 0)
                        failures.Add(Text($"{count} {what}"));
                }
            case TrustComponentKind.Delegation:
                return tally.OutOf == 0
                    ? Text($"no admin task in the last {weeks} weeks: scored at the team prior")
                    : Text($"delegated {tally.Hits} of {tally.OutOf} admin tasks to their manager ({100.0 * tally.Hits / tally.OutOf:0}%; {100 * settings.DelegationTarget:0}% earns full marks)");
            default:
                return tally.OutOf == 0
                    ? "no week to compare with the team: scored at the team prior"
                    : Text($"logged {view.SellingActivities[r]} selling activities; at or above the team's weekly median in {tally.Hits} of {tally.OutOf} weeks");
        }
    }

    /// <summary>
    /// The facts that would raise the score most, each priced by what-if: the component is recomputed
    /// with the fact changed (same prior), and the gain is weight × Δvalue × 100.
    /// </summary>
    private List<TrustImprovement> Improvements(TrustView view, RepRoster roster, int r)
    {
        var candidates = new List<TrustImprovement>();

        var review = view.Tallies[(int)TrustComponentKind.ReviewAttendance][r];
        if (review.Hits < review.OutOf)
            AddWeekWhatIf(TrustComponentKind.ReviewAttendance, 1,
                Text($"attend the weekly review (missed {review.OutOf - review.Hits} of {review.OutOf} held)"));

        var pipeline = view.Tallies[(int)TrustComponentKind.PipelineHonesty][r];
        var opportunities = view.PipelineOpportunities[r];
        AddPipelineWhatIf(OpportunityFlags.NoNextStep, n => Text($"write a next step on {n} open {Opportunities(n)}"));
        AddPipelineWhatIf(OpportunityFlags.NextStepDateMissing | OpportunityFlags.NextStepDatePast,
            n => settings.NextStepDateField is null
                ? Text($"schedule a dated next step (open task or meeting) on {n} {Opportunities(n)}")
                : Text($"set a future next-step date ({settings.NextStepDateField}) on {n} {Opportunities(n)}"));
        AddPipelineWhatIf(OpportunityFlags.CloseDatePast, n => Text($"update the past close date on {n} {Opportunities(n)}"));
        AddPipelineWhatIf(OpportunityFlags.Stale,
            n => Text($"log activity on {n} {Opportunities(n)} idle for more than {settings.StaleAfterDays} days, or close them"));
        AddPipelineWhatIf(OpportunityFlags.NoDecisionMaker, n => Text($"engage a decision maker on {n} {Opportunities(n)} (add the contact role)"));
        var pushed = Failures(view, r, OpportunityFlags.CloseDatePushedTooOften);
        if (pushed > 0)
        {
            // A push cannot be undone: the fix is to re-qualify, i.e. close the deal and take it out of the pipeline.
            var without = opportunities - pushed;
            Add(TrustComponentKind.PipelineHonesty, pipeline.SumWX - view.PipelineScoreOnPushed[r], without,
                Text($"re-qualify or close {pushed} {Opportunities(pushed)} pushed more than {settings.MaxCloseDatePushes} times"));
        }

        var delegation = view.Tallies[(int)TrustComponentKind.Delegation][r];
        if (delegation.Raw < 1)
        {
            var manager = roster.PersonNames[roster.RepManager[r]] ?? "their manager";
            AddWeekWhatIf(TrustComponentKind.Delegation, 1,
                Text($"hand admin work to {manager} this week (kept {delegation.OutOf - delegation.Hits} of {delegation.OutOf} admin tasks)"));
        }

        var selling = view.Tallies[(int)TrustComponentKind.SellingActivity][r];
        var median = view.SellingWeekMedian[r];
        if (selling.Raw < 1 && median > 0 && view.SellingWeekCount[r] < median)
            AddWeekWhatIf(TrustComponentKind.SellingActivity, 1,
                Text($"log {Math.Ceiling(median):0} selling activities this week, the team median ({view.SellingWeekCount[r]} so far)"));

        candidates.Sort(static (a, b) =>
        {
            var byPoints = b.Points.CompareTo(a.Points);
            if (byPoints != 0)
                return byPoints;
            var byComponent = a.Component.CompareTo(b.Component);
            return byComponent != 0 ? byComponent : string.CompareOrdinal(a.Action, b.Action);
        });
        if (candidates.Count > MaxImprovements)
            candidates.RemoveRange(MaxImprovements, candidates.Count - MaxImprovements);
        return candidates;

        // The failing opportunities passing the check(s), the others as they are.
        void AddPipelineWhatIf(OpportunityFlags checks, Func<int, string> action)
        {
            var failing = 0;
            var gain = 0.0;
            for (var bit = 0; bit < 8; bit++)
            {
                if (((int)checks & (1 << bit)) == 0)
                    continue;
                failing += view.PipelineFailures[r, bit];
                gain += view.PipelineFailureGain[r, bit];
            }
            if (failing > 0)
                Add(TrustComponentKind.PipelineHonesty, pipeline.SumWX + gain, opportunities, action(failing));
        }

        // The as-of week's observation (weight 1) replaced by x.
        void AddWeekWhatIf(TrustComponentKind kind, double x, string action)
        {
            var tally = view.Tallies[(int)kind][r];
            Add(kind, tally.SumWX - tally.WeekX + x, tally.SumWN - tally.WeekN + 1, action);
        }

        void Add(TrustComponentKind kind, double sumWX, double sumWN, string action)
        {
            var c = (int)kind;
            var gain = 100 * weights[c] * (view.Shrink(sumWX, sumWN, view.Priors[c][r]) - view.Values[c][r]);
            if (gain < MinImprovementPoints)
                return;
            var points = Math.Round(gain, 1, MidpointRounding.AwayFromZero);
            candidates.Add(new TrustImprovement(kind, action, points, Text($"{action}: +{points:0.0}")));
        }
    }

    private static int Failures(TrustView view, int r, OpportunityFlags flag) =>
        view.PipelineFailures[r, System.Numerics.BitOperations.TrailingZeroCount((int)flag)];

    private static string Opportunities(int n) => n == 1 ? "opportunity" : "opportunities";

    /// <summary>Open opportunities with at least one flag, per rep: most flags first, then the largest amount.</summary>
    private List<OpportunityToRaise>?[] OpportunitiesToRaise(RepRoster roster, TrustLedger ledger, TrustCalendar calendar)
    {
        var perRep = new List<OpportunityToRaise>?[roster.Reps.Count];
        // Tens of thousands of flagged deals share a few hundred distinct day counts, dates and push
        // counts: each sentence is formatted once per run and the same string reused.
        var idleSentences = new Dictionary<int, string>();
        var nextStepSentences = new Dictionary<int, string>();
        var closeSentences = new Dictionary<int, string>();
        var pushSentences = new Dictionary<int, string>();
        for (var o = 0; o < ledger.Opportunities.Count; o++)
        {
            var flags = PipelineAudit.Audit(ledger, o, TrustCalendar.Current, calendar, settings, out var nextStepDay, out var idleDays, out _);
            if (flags == OpportunityFlags.None)
                continue;
            var opportunity = ledger.Opportunities[o];
            var pushes = ledger.Pushes[TrustCalendar.Current][o];
            // One reason per flag (the two next-step-date flags never come together).
            var reasons = new List<string>(System.Numerics.BitOperations.PopCount((uint)flags));
            if ((flags & OpportunityFlags.NoNextStep) != 0)
                reasons.Add("no next step written");
            if ((flags & OpportunityFlags.NextStepDateMissing) != 0)
                reasons.Add(settings.NextStepDateField is null ? "no open task or upcoming meeting: the next step has no date" : Text($"no next-step date ({settings.NextStepDateField})"));
            if ((flags & OpportunityFlags.NextStepDatePast) != 0)
                reasons.Add(Sentence(nextStepSentences, nextStepDay!.Value, static day => Text($"next-step date {Date(day)} has passed")));
            if ((flags & OpportunityFlags.CloseDatePast) != 0)
                reasons.Add(opportunity.CloseDate is { } close
                    ? Sentence(closeSentences, close.DayNumber, static day => Text($"close date {Date(day)} has passed"))
                    : "no close date");
            if ((flags & OpportunityFlags.Stale) != 0)
                reasons.Add(idleDays is { } days ? Sentence(idleSentences, days, static n => Text($"no activity for {n} days")) : "no activity recorded");
            if ((flags & OpportunityFlags.NoDecisionMaker) != 0)
                reasons.Add("no decision maker among the contact roles");
            if ((flags & OpportunityFlags.CloseDatePushedTooOften) != 0)
                reasons.Add(Sentence(pushSentences, pushes, n => Text($"close date pushed {n} times in {settings.WindowWeeks} weeks")));
            (perRep[ledger.OpportunityRep[o]] ??= []).Add(new OpportunityToRaise(opportunity.Id, opportunity.StageName,
                opportunity.CloseDate, opportunity.Amount, flags, idleDays, pushes, reasons));
        }
        foreach (var list in perRep)
        {
            list?.Sort(static (a, b) =>
            {
                var byFlags = System.Numerics.BitOperations.PopCount((uint)b.Flags).CompareTo(System.Numerics.BitOperations.PopCount((uint)a.Flags));
                if (byFlags != 0)
                    return byFlags;
                var byAmount = (b.Amount ?? decimal.MinValue).CompareTo(a.Amount ?? decimal.MinValue);
                return byAmount != 0 ? byAmount : string.CompareOrdinal(a.OpportunityId, b.OpportunityId);
            });
        }
        return perRep;
    }

    private static string Sentence(Dictionary<int, string> cache, int key, Func<int, string> format)
    {
        ref var sentence = ref CollectionsMarshal.GetValueRefOrAddDefault(cache, key, out _);
        return sentence ??= format(key);
    }

    private List<ManagerMirror> ManagerMirrors(RepRoster roster, TrustLedger ledger, TrustCalendar calendar)
    {
        var mirrors = new List<ManagerMirror>(roster.Managers.Count);
        var weeks = calendar.Weeks;
        for (var t = 0; t < roster.Managers.Count; t++)
        {
            var m = roster.Managers[t];
            int held = 0, weeksWithReview = 0;
            for (var age = 0; age < weeks; age++)
            {
                var count = calendar.WeekCount(ledger.ManagerReviews, m * calendar.SlotCount, TrustCalendar.Current, age);
                held += count;
                if (count > 0)
                    weeksWithReview++;
            }
            var inTime = ledger.ServedInTime[m];
            var due = inTime + ledger.ServedLate[m] + ledger.OpenOverdue[m];
            double? serviceRate = due > 0 ? (double)inTime / due : null;
            var perWeek = (double)held / weeks;
            var evidence = Text($"held {held} reviews in {weeks} weeks ({perWeek:0.0} a week; {weeksWithReview} weeks with a review); ")
                + (ledger.DelegatedTo[m] == 0
                    ? "no admin task delegated by their reps"
                    : Text($"completed {inTime} of {due} due delegated tasks within {settings.DelegatedTaskServiceDays} working days ({ledger.OpenNotYetDue[m]} open, not yet due)"));
            mirrors.Add(new ManagerMirror(roster.PersonIds[m], roster.PersonNames[m], roster.TeamSize[t], weeks, held, weeksWithReview,
                perWeek, ledger.DelegatedTo[m], inTime, ledger.ServedLate[m], ledger.OpenOverdue[m], ledger.OpenNotYetDue[m],
                serviceRate, evidence));
        }
        return mirrors;
    }

    private static string Date(int dayNumber) => DateOnly.FromDayNumber(dayNumber).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static void Validate(TrustSettings s)
    {
        Require(s.WindowWeeks is >= 1 and <= 520, nameof(s.WindowWeeks), s.WindowWeeks, "between 1 and 520");
        Require(double.IsFinite(s.HalfLifeWeeks) && s.HalfLifeWeeks > 0, nameof(s.HalfLifeWeeks), s.HalfLifeWeeks, "greater than 0");
        Require(double.IsFinite(s.PriorStrength) && s.PriorStrength >= 0, nameof(s.PriorStrength), s.PriorStrength, "0 or more");
        Require(s.MinTeamSize >= 1, nameof(s.MinTeamSize), s.MinTeamSize, "1 or more");
        Require(double.IsFinite(s.DelegationTarget) && s.DelegationTarget is > 0 and <= 1, nameof(s.DelegationTarget), s.DelegationTarget, "above 0 and at most 1");
        Require(s.StaleAfterDays >= 0, nameof(s.StaleAfterDays), s.StaleAfterDays, "0 or more");
        Require(s.MaxCloseDatePushes >= 0, nameof(s.MaxCloseDatePushes), s.MaxCloseDatePushes, "0 or more");
        Require(s.DelegatedTaskServiceDays >= 0, nameof(s.DelegatedTaskServiceDays), s.DelegatedTaskServiceDays, "0 or more");
        Require(double.IsFinite(s.NeutralPrior) && s.NeutralPrior is >= 0 and <= 1, nameof(s.NeutralPrior), s.NeutralPrior, "between 0 and 1");
        if (s.Weights is null)
            throw new ArgumentException("TrustSettings.Weights is missing.", "settings");
        foreach (var (name, weight) in new[]
                 {
                     (nameof(ComponentWeights.ReviewAttendance), s.Weights.ReviewAttendance),
                     (nameof(ComponentWeights.PipelineHonesty), s.Weights.PipelineHonesty),
                     (nameof(ComponentWeights.Delegation), s.Weights.Delegation),
                     (nameof(ComponentWeights.SellingActivity), s.Weights.SellingActivity),
                 })
            Require(double.IsFinite(weight) && weight >= 0, "Weights." + name, weight, "0 or more");
        if (Math.Abs(s.Weights.Sum - 1) > 1e-6)
            throw new ArgumentException(Text($"TrustSettings.Weights must sum to 1 (got {s.Weights.Sum})."), "settings");
        if (s.NextStepDateField is { } field && string.IsNullOrWhiteSpace(field))
            throw new ArgumentException("TrustSettings.NextStepDateField is blank: leave it null to use open tasks and events.", "settings");
    }

    private static void Require(bool ok, string setting, double value, string expected)
    {
        if (!ok)
            throw new ArgumentException(Text($"TrustSettings.{setting} must be {expected} (got {value})."), "settings");
    }
}
