namespace LeadRouter.Trust;

/// <summary>Decay-weighted observations of one component for one rep (see Trust/README.md).</summary>
internal struct Tally
{
    /// <summary>Σ w·x.</summary>
    public double SumWX;
    /// <summary>Σ w·n.</summary>
    public double SumWN;
    public int Hits;
    public int OutOf;
    /// <summary>The as-of week's observation (weight 1), for the what-if of improvements.</summary>
    public double WeekX;
    public double WeekN;

    public readonly double? Raw => SumWN > 0 ? SumWX / SumWN : null;

    public void Observe(double weight, double x, int age)
    {
        SumWX += weight * x;
        SumWN += weight;
        if (age == 0)
        {
            WeekX = x;
            WeekN = 1;
        }
    }
}

/// <summary>
/// Every rep's components as of one view's moment (the as-of moment or a week earlier): observations,
/// team priors and shrunk values.
/// </summary>
internal sealed class TrustView
{
    public const int ComponentCount = 4;

    private readonly RepRoster roster;
    private readonly TrustLedger ledger;
    private readonly TrustCalendar calendar;
    private readonly TrustSettings settings;
    private readonly int view;
    private readonly int reps;

    public TrustView(int view, RepRoster roster, TrustLedger ledger, TrustCalendar calendar, TrustSettings settings)
    {
        this.view = view;
        this.roster = roster;
        this.ledger = ledger;
        this.calendar = calendar;
        this.settings = settings;
        reps = roster.Reps.Count;
        for (var c = 0; c < ComponentCount; c++)
            Tallies[c] = new Tally[reps];
        WeeksOfData = new int[reps];
        weeksAway = new bool[reps * calendar.Weeks];
        availableWeeks = new double[reps];
        SellingActivities = new int[reps];
        SellingWeekMedian = new double[reps];
        SellingWeekCount = new int[reps];
        PipelineOpportunities = new int[reps];
        PipelineFailures = new int[reps, 8];
        PipelineFailureGain = new double[reps, 8];
        PipelineScoreOnPushed = new double[reps];

        FindWeeksOfData();
        ObserveReviews();
        ObservePipeline();
        ObserveDelegation();
        ObserveSelling();
        for (var c = 0; c < ComponentCount; c++)
        {
            Priors[c] = TeamPriors(Tallies[c]);
            Values[c] = new double[reps];
            for (var r = 0; r < reps; r++)
                Values[c][r] = Shrink(Tallies[c][r].SumWX, Tallies[c][r].SumWN, Priors[c][r]);
        }
        Trust = new double[reps];
        Confidence = new double[reps];
        var weights = Weights(settings.Weights);
        for (var r = 0; r < reps; r++)
        {
            double confidence = 0, applicableWeight = 0;
            for (var c = 0; c < ComponentCount; c++)
            {
                Trust[r] += 100 * weights[c] * Values[c][r];
                var evidence = Tallies[c][r].SumWN;
                if (c == (int)TrustComponentKind.ReviewAttendance)
                {
                    // Whether a review is held is the manager's doing: with none held, attendance does not
                    // apply; with some, it is as sure as the rep's weeks of data, however many the manager skipped.
                    if (evidence == 0)
                        continue;
                    evidence = availableWeeks[r];
                }
                confidence += weights[c] * ComponentConfidence(evidence);
                applicableWeight += weights[c];
            }
            Confidence[r] = applicableWeight > 0 ? confidence / applicableWeight : 0;
        }
    }

    // [rep × age]: weeks the rep was out of office (see TrustLedger.IsWeekOff).
    private readonly bool[] weeksAway;

    /// <summary>Σw over the rep's weeks of data they were not away.</summary>
    private readonly double[] availableWeeks;

    /// <summary>[component][rep], component = (int)TrustComponentKind.</summary>
    public Tally[][] Tallies { get; } = new Tally[ComponentCount][];
    public double[][] Priors { get; } = new double[ComponentCount][];
    public double[][] Values { get; } = new double[ComponentCount][];
    public double[] Trust { get; }
    public double[] Confidence { get; }
    public int[] WeeksOfData { get; }

    /// <summary>Selling activities in the window; the as-of week's team median and count (for the what-if).</summary>
    public int[] SellingActivities { get; }
    public double[] SellingWeekMedian { get; }
    public int[] SellingWeekCount { get; }

    public int[] PipelineOpportunities { get; }
    /// <summary>[rep, bit index of the flag]: open opportunities failing each check.</summary>
    public int[,] PipelineFailures { get; }
    /// <summary>[rep, bit index of the flag]: Σ 1 / applicable checks over those opportunities, what passing the check would add to Σx.</summary>
    public double[,] PipelineFailureGain { get; }
    /// <summary>Σx of the opportunities pushed too often (closing them removes their observations).</summary>
    public double[] PipelineScoreOnPushed { get; }

    /// <summary>(Σw·x + k·μ) / (Σw·n + k); μ when there is nothing to weigh.</summary>
    public double Shrink(double sumWX, double sumWN, double prior)
    {
        var k = settings.PriorStrength;
        return sumWN + k > 0 ? (sumWX + k * prior) / (sumWN + k) : prior;
    }

    /// <summary>The share of a shrunk component that comes from the rep's own observations.</summary>
    public double ComponentConfidence(double sumWN)
    {
        var k = settings.PriorStrength;
        return sumWN + k > 0 ? sumWN / (sumWN + k) : 0;
    }

    public static double[] Weights(ComponentWeights weights) =>
        [weights.ReviewAttendance, weights.PipelineHonesty, weights.Delegation, weights.SellingActivity];

    private ref Tally At(TrustComponentKind kind, int rep) => ref Tallies[(int)kind][rep];

    /// <summary>Weeks since the rep's oldest week with any activity; weeks before it are not observed.</summary>
    private void FindWeeksOfData()
    {
        for (var r = 0; r < reps; r++)
        {
            for (var age = calendar.Weeks - 1; age >= 0; age--)
            {
                if (calendar.WeekCount(ledger.Active, r * calendar.SlotCount, view, age) > 0)
                {
                    WeeksOfData[r] = age + 1;
                    break;
                }
            }
            for (var age = 0; age < WeeksOfData[r]; age++)
            {
                weeksAway[r * calendar.Weeks + age] = ledger.IsWeekOff(r, view, age);
                if (!weeksAway[r * calendar.Weeks + age])
                    availableWeeks[r] += calendar.WeekWeights[age];
            }
        }
    }

    /// <summary>One observation per week with a review held: x = attended / held. No review held, no observation.</summary>
    private void ObserveReviews()
    {
        for (var r = 0; r < reps; r++)
        {
            ref var tally = ref At(TrustComponentKind.ReviewAttendance, r);
            var row = r * calendar.SlotCount;
            for (var age = 0; age < calendar.Weeks; age++)
            {
                var held = calendar.WeekCount(ledger.Held, row, view, age);
                if (held == 0)
                    continue;
                var attended = calendar.WeekCount(ledger.Attended, row, view, age);
                tally.Observe(calendar.WeekWeights[age], (double)attended / held, age);
                tally.Hits += attended;
                tally.OutOf += held;
            }
        }
    }

    /// <summary>One observation per open opportunity, in the as-of week: x = checks passed / checks that apply.</summary>
    private void ObservePipeline()
    {
        for (var o = 0; o < ledger.Opportunities.Count; o++)
        {
            var r = ledger.OpportunityRep[o];
            var flags = PipelineAudit.Audit(ledger, o, view, calendar, settings, out _, out _, out var applicable);
            var ok = PipelineAudit.Passed(flags, applicable);
            var x = (double)ok / applicable;
            ref var tally = ref At(TrustComponentKind.PipelineHonesty, r);
            tally.SumWX += x;
            tally.SumWN++;
            tally.Hits += ok;
            tally.OutOf += applicable;
            PipelineOpportunities[r]++;
            for (var bit = 0; bit < 8; bit++)
            {
                if (((int)flags & (1 << bit)) == 0)
                    continue;
                PipelineFailures[r, bit]++;
                PipelineFailureGain[r, bit] += 1.0 / applicable;
            }
            if ((flags & OpportunityFlags.CloseDatePushedTooOften) != 0)
                PipelineScoreOnPushed[r] += x;
        }
        for (var r = 0; r < reps; r++)
        {
            ref var tally = ref At(TrustComponentKind.PipelineHonesty, r);
            tally.WeekX = tally.SumWX;
            tally.WeekN = tally.SumWN;
        }
    }

    /// <summary>One observation per week with admin tasks: x = min(1, delegated / (delegated + kept) / target).</summary>
    private void ObserveDelegation()
    {
        for (var r = 0; r < reps; r++)
        {
            ref var tally = ref At(TrustComponentKind.Delegation, r);
            var row = r * calendar.SlotCount;
            for (var age = 0; age < calendar.Weeks; age++)
            {
                var delegated = calendar.WeekCount(ledger.Delegated, row, view, age);
                var total = delegated + calendar.WeekCount(ledger.Kept, row, view, age);
                if (total == 0)
                    continue;
                tally.Observe(calendar.WeekWeights[age], Math.Min(1, (double)delegated / total / settings.DelegationTarget), age);
                tally.Hits += delegated;
                tally.OutOf += total;
            }
        }
    }

    /// <summary>
    /// One observation per week since the rep's first week of data: x = min(1, count / team median),
    /// where the median is over the team's reps with data that week. A week whose median is 0 is no
    /// observation; nor is a week the rep was away, which also leaves them out of that week's median.
    /// </summary>
    private void ObserveSelling()
    {
        var weeks = calendar.Weeks;
        var counts = new int[reps * weeks];
        for (var r = 0; r < reps; r++)
        {
            for (var age = 0; age < weeks; age++)
            {
                counts[r * weeks + age] = calendar.WeekCount(ledger.Selling, r * calendar.SlotCount, view, age);
                SellingActivities[r] += counts[r * weeks + age];
            }
        }

        var teams = roster.Managers.Count;
        var members = new List<int>[teams];
        for (var t = 0; t < teams; t++)
            members[t] = [];
        var everyone = new List<int>(reps);
        for (var r = 0; r < reps; r++)
        {
            members[roster.RepTeam[r]].Add(r);
            everyone.Add(r);
        }
        var buffer = new int[reps];
        var orgMedian = new double[weeks];
        for (var age = 0; age < weeks; age++)
            orgMedian[age] = Median(everyone, age);
        var teamMedian = new double[teams][];
        for (var t = 0; t < teams; t++)
        {
            teamMedian[t] = orgMedian;
            if (roster.TeamUsesOrg[t])
                continue;
            teamMedian[t] = new double[weeks];
            for (var age = 0; age < weeks; age++)
                teamMedian[t][age] = Median(members[t], age);
        }

        for (var r = 0; r < reps; r++)
        {
            ref var tally = ref At(TrustComponentKind.SellingActivity, r);
            var medians = teamMedian[roster.RepTeam[r]];
            SellingWeekMedian[r] = medians[0];
            SellingWeekCount[r] = counts[r * weeks];
            for (var age = 0; age < WeeksOfData[r]; age++)
            {
                if (medians[age] <= 0 || weeksAway[r * weeks + age])
                    continue;
                var count = counts[r * weeks + age];
                tally.Observe(calendar.WeekWeights[age], Math.Min(1, count / medians[age]), age);
                tally.OutOf++;
                if (count >= medians[age])
                    tally.Hits++;
            }
        }

        double Median(List<int> group, int age)
        {
            var n = 0;
            foreach (var r in group)
            {
                if (WeeksOfData[r] > age && !weeksAway[r * weeks + age])
                    buffer[n++] = counts[r * weeks + age];
            }
            if (n == 0)
                return 0;
            Array.Sort(buffer, 0, n);
            return n % 2 == 1 ? buffer[n / 2] : (buffer[n / 2 - 1] + buffer[n / 2]) / 2.0;
        }
    }

    /// <summary>
    /// μ per rep, leaving the rep out (their own rate must not pull their prior): the mean raw rate of their
    /// teammates with observations; the rest of the org's when the team is smaller than MinTeamSize or no
    /// teammate has any; NeutralPrior when nobody else in the org has any.
    /// </summary>
    private double[] TeamPriors(Tally[] tallies)
    {
        var teams = roster.Managers.Count;
        var teamSum = new double[teams];
        var teamCount = new int[teams];
        double orgSum = 0;
        var orgCount = 0;
        for (var r = 0; r < reps; r++)
        {
            if (tallies[r].Raw is not { } raw)
                continue;
            teamSum[roster.RepTeam[r]] += raw;
            teamCount[roster.RepTeam[r]]++;
            orgSum += raw;
            orgCount++;
        }
        var priors = new double[reps];
        for (var r = 0; r < reps; r++)
        {
            var team = roster.RepTeam[r];
            var (ownSum, ownCount) = tallies[r].Raw is { } own ? (own, 1) : (0.0, 0);
            var othersInOrg = orgCount - ownCount;
            var othersInTeam = teamCount[team] - ownCount;
            priors[r] = !roster.TeamUsesOrg[team] && othersInTeam > 0 ? (teamSum[team] - ownSum) / othersInTeam
                : othersInOrg > 0 ? (orgSum - ownSum) / othersInOrg
                : settings.NeutralPrior;
        }
        return priors;
    }
}
