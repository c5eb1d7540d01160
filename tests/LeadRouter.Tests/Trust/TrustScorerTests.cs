using System.Globalization;
using System.Text.Json;
using LeadRouter.Org;
using LeadRouter.Trust;

namespace LeadRouter.Tests.Trust;

public class TrustScorerTests
{
    private static readonly TrustScorer DefaultScorer = new(new TrustSettings());

    private static TrustReport Score(TestOrg org, TrustSettings? settings = null) =>
        (settings is null ? DefaultScorer : new TrustScorer(settings)).Score(org.Build(), org.AsOf);

    private static RepTrust Rep(TrustReport report, TestOrg org, string name) =>
        report.Reps.Single(r => r.RepId == org.Id(name));

    private static TrustComponent Component(RepTrust rep, TrustComponentKind kind) => rep.Components.Single(c => c.Kind == kind);

    /// <summary>ann does everything right, bob does everything wrong, cat is in between; same team.</summary>
    private static TestOrg GoodAndBadReps(DateTimeOffset? asOf = null)
    {
        var org = new TestOrg(asOf).Team("boss", "ann", "bob", "cat");
        for (var week = 0; week < 12; week++)
        {
            org.Review("ann", week);
            org.Review("bob", week, status: week % 3 == 0 ? "Accepted" : "Declined");
            org.Review("cat", week);
            org.Delegated("ann", org.InWeek(week));
            org.Delegated("ann", org.InWeek(week, dayOfWeek: 2));
            org.Kept("ann", week);
            org.Kept("bob", week);
            org.Kept("bob", week, "Invoice follow-up");
            org.Kept("cat", week);
            org.Delegated("cat", org.InWeek(week));
        }
        return org.CallsEachWeek("ann", 12, 12).CallsEachWeek("bob", 3, 12).CallsEachWeek("cat", 8, 12)
            .CleanOpportunities("ann", 5).JunkOpportunities("bob", 5)
            .CleanOpportunities("cat", 2).Opportunity("cat", "cat-idle", o => o.Idle(30));
    }

    [Test]
    public void RepWhoAttendsKeepsACleanPipelineAndDelegatesOutranksOneWhoSkipsWithAJunkPipeline()
    {
        var org = GoodAndBadReps();
        var report = Score(org);
        var ann = Rep(report, org, "ann");
        var bob = Rep(report, org, "bob");
        var cat = Rep(report, org, "cat");

        Assert.That(ann.Trust, Is.GreaterThan(cat.Trust));
        Assert.That(cat.Trust, Is.GreaterThan(bob.Trust + 10));
        foreach (TrustComponentKind kind in Enum.GetValues<TrustComponentKind>())
            Assert.That(Component(ann, kind).Value, Is.GreaterThan(Component(bob, kind).Value), kind.ToString());
        Assert.That(ann.Trust, Is.InRange(0, 100));
        Assert.That(bob.Trust, Is.InRange(0, 100));
        Assert.That(Component(bob, TrustComponentKind.PipelineHonesty).RawRate, Is.EqualTo(0));
        Assert.That(Component(ann, TrustComponentKind.PipelineHonesty).RawRate, Is.EqualTo(1));
    }

    [Test]
    public void ManagersWithAManagerOfTheirOwnAreNotScoredAsReps()
    {
        var org = new TestOrg().Manager("vp").Rep("boss", "vp").Team("boss", "ann", "bob");
        var report = Score(org);
        Assert.That(report.Reps.Select(r => r.RepId), Is.EquivalentTo(new[] { org.Id("ann"), org.Id("bob") }));
        Assert.That(report.Reps.Select(r => r.ManagerId), Has.All.EqualTo(org.Id("boss")));
    }

    [Test]
    public void TrustIsTheWeightedSumOfComponentValues()
    {
        var org = GoodAndBadReps();
        foreach (var rep in Score(org).Reps)
            Assert.That(rep.Trust, Is.EqualTo(100 * rep.Components.Sum(c => c.Weight * c.Value)).Within(1e-9));
    }

    [Test]
    public void RepWithOneWeekOfDataSitsNearTheTeamMeanWithLowConfidence()
    {
        var org = GoodAndBadReps().Rep("new", "boss");
        org.Review("new", 0).Calls("new", 0, 30).Kept("new", 0);
        var report = Score(org);
        var newcomer = Rep(report, org, "new");
        var veteran = Rep(report, org, "ann");

        Assert.That(newcomer.WeeksOfData, Is.EqualTo(1));
        Assert.That(veteran.WeeksOfData, Is.EqualTo(12));
        Assert.That(newcomer.Confidence, Is.LessThan(0.3));
        Assert.That(newcomer.Confidence, Is.LessThan(veteran.Confidence / 2));
        foreach (var component in newcomer.Components)
        {
            // Shrinkage keeps the value at least twice as close to the prior as the rep's own rate.
            var raw = component.RawRate ?? component.TeamPrior;
            Assert.That(Math.Abs(component.Value - component.TeamPrior), Is.LessThanOrEqualTo(Math.Abs(raw - component.TeamPrior) / 2 + 1e-12),
                component.Kind.ToString());
        }
        var teamMean = report.Reps.Where(r => r.RepId != newcomer.RepId).Average(r => r.Trust);
        Assert.That(newcomer.Trust, Is.EqualTo(teamMean).Within(15));
    }

    [Test]
    public void ConfidenceGrowsWithObservations()
    {
        var org = new TestOrg().Team("boss", "two", "six", "twelve");
        foreach (var (rep, weeks) in new[] { ("two", 2), ("six", 6), ("twelve", 12) })
        {
            for (var week = 0; week < weeks; week++)
                org.Review(rep, week).Calls(rep, week, 5).Kept(rep, week).Delegated(rep, org.InWeek(week));
            org.CleanOpportunities(rep, weeks / 2);
        }
        var report = Score(org);
        var confidence = new[] { "two", "six", "twelve" }.Select(n => Rep(report, org, n).Confidence).ToArray();
        Assert.That(confidence, Is.Ordered.Ascending);
        Assert.That(confidence[0], Is.GreaterThan(0));
        Assert.That(confidence[2], Is.LessThan(1));
        Assert.That(confidence.Distinct().Count(), Is.EqualTo(3));
    }

    [Test]
    public void ManagerWhoHeldNoReviewsCostsTheirRepsNothing()
    {
        var org = GoodAndBadReps().Team("absent", "dan", "eve", "fay");
        foreach (var rep in new[] { "dan", "eve", "fay" })
            org.CallsEachWeek(rep, 8, 12);
        var report = Score(org);

        foreach (var name in new[] { "dan", "eve", "fay" })
        {
            var review = Component(Rep(report, org, name), TrustComponentKind.ReviewAttendance);
            Assert.That(review.RawRate, Is.Null);
            Assert.That(review.OutOf, Is.Zero);
            Assert.That(review.Value, Is.EqualTo(review.TeamPrior));
            Assert.That(review.Value, Is.GreaterThan(0.5), "the team has no reviews, so the org's mean applies");
            Assert.That(review.Evidence, Does.StartWith("no review with their manager was held"));
        }
        var orgMean = new[] { "ann", "bob", "cat" }
            .Average(n => Component(Rep(report, org, n), TrustComponentKind.ReviewAttendance).RawRate!.Value);
        Assert.That(Component(Rep(report, org, "dan"), TrustComponentKind.ReviewAttendance).TeamPrior, Is.EqualTo(orgMean).Within(1e-12));
    }

    [Test]
    public void WithNoDataAnywhereEveryComponentTakesTheNeutralPrior()
    {
        var org = new TestOrg().Team("boss", "ann");
        var rep = Score(org).Reps.Single();
        Assert.That(rep.Components.Select(c => c.Value), Is.All.EqualTo(0.5));
        Assert.That(rep.Trust, Is.EqualTo(50).Within(1e-9));
        Assert.That(rep.Confidence, Is.Zero);
        Assert.That(rep.WeeksOfData, Is.Zero);
    }

    [Test]
    public void DeclineCountsAsMissed()
    {
        var org = new TestOrg().Team("boss", "ann");
        org.Review("ann", 1).Review("ann", 2, status: "Declined").Review("ann", 3, status: "declined");
        var review = Component(Score(org).Reps.Single(), TrustComponentKind.ReviewAttendance);
        Assert.That(review.Hits, Is.EqualTo(1));
        Assert.That(review.OutOf, Is.EqualTo(3));
        Assert.That(review.Evidence, Is.EqualTo("attended 1 of 3 reviews held in the last 12 weeks"));
    }

    [Test]
    public void AllDayDeletedFutureAndManagerlessEventsAreNotReviews()
    {
        var org = new TestOrg().Team("boss", "ann").Manager("other");
        org.Review("ann", 1, allDay: true)
            .Review("ann", 2, deleted: true)
            .Meeting("boss", org.AsOf.AddHours(2), "1:1 Ann")          // not held yet
            .Meeting("other", org.InWeek(3), "one-on-one", invitees: ("ann", "Accepted")) // not her manager
            .Meeting("ann", org.InWeek(4), "Pipeline Review with Acme", invitees: ("boss", "Accepted"))
            .Meeting("boss", org.InWeek(5), "Quarterly planning", type: "Pipeline Review", invitees: ("ann", "Accepted"));
        var review = Component(Score(org).Reps.Single(), TrustComponentKind.ReviewAttendance);
        Assert.That(review.OutOf, Is.EqualTo(2), "only the two reviews owned by either with the other invited count");
        Assert.That(review.Hits, Is.EqualTo(2));
    }

    [Test]
    public void DecayWeighsOlderWeeksLess()
    {
        var org = new TestOrg().Team("boss", "recent", "early", "third");
        for (var week = 0; week < 12; week++)
        {
            org.Review("recent", week, status: week < 6 ? "Accepted" : "Declined");
            org.Review("early", week, status: week < 6 ? "Declined" : "Accepted");
        }
        var report = Score(org);
        var recent = Component(Rep(report, org, "recent"), TrustComponentKind.ReviewAttendance);
        var early = Component(Rep(report, org, "early"), TrustComponentKind.ReviewAttendance);

        Assert.That(recent.Hits, Is.EqualTo(early.Hits));
        Assert.That(recent.Value, Is.GreaterThan(early.Value));
        var expectedObservations = Enumerable.Range(0, 12).Sum(age => Math.Pow(0.5, age / 4.0));
        Assert.That(recent.EffectiveObservations, Is.EqualTo(expectedObservations).Within(1e-12));
        var expectedRaw = Enumerable.Range(0, 6).Sum(age => Math.Pow(0.5, age / 4.0)) / expectedObservations;
        Assert.That(recent.RawRate, Is.EqualTo(expectedRaw).Within(1e-12));
    }

    [Test]
    public void SameInputGivesIdenticalOutputTwiceAndUnderAnotherCulture()
    {
        var org = GoodAndBadReps().Rep("new", "boss");
        var snapshot = org.Build();
        var first = JsonSerializer.Serialize(DefaultScorer.Score(snapshot, org.AsOf));
        var second = JsonSerializer.Serialize(new TrustScorer(new TrustSettings()).Score(snapshot, org.AsOf));
        Assert.That(second, Is.EqualTo(first));

        var saved = CultureInfo.CurrentCulture;
        var odd = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        odd.NumberFormat.NumberDecimalSeparator = ",";
        odd.NumberFormat.PercentSymbol = "pct";
        odd.DateTimeFormat.FirstDayOfWeek = DayOfWeek.Sunday;
        odd.DateTimeFormat.ShortDatePattern = "dd/MM/yyyy";
        try
        {
            CultureInfo.CurrentCulture = odd;
            Assert.That(JsonSerializer.Serialize(DefaultScorer.Score(snapshot, org.AsOf)), Is.EqualTo(first));
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
        Assert.That(first, Does.Contain("+"), "improvements carry their points");
    }

    [Test]
    public void ShuffledUsersGiveTheSameReport()
    {
        var org = GoodAndBadReps();
        var snapshot = org.Build();
        var shuffled = snapshot with { Users = snapshot.Users.Reverse().ToArray() };
        Assert.That(JsonSerializer.Serialize(DefaultScorer.Score(shuffled, org.AsOf)),
            Is.EqualTo(JsonSerializer.Serialize(DefaultScorer.Score(snapshot, org.AsOf))));
    }

    [Test]
    public void EvidenceSentencesAndImprovementsExplainTheScore()
    {
        var org = GoodAndBadReps();
        var report = Score(org);
        var bob = Rep(report, org, "bob");

        Assert.That(Component(bob, TrustComponentKind.ReviewAttendance).Evidence, Is.EqualTo("attended 4 of 12 reviews held in the last 12 weeks"));
        Assert.That(Component(bob, TrustComponentKind.PipelineHonesty).Evidence, Is.EqualTo(
            "0 of 25 pipeline checks passed on 5 open opportunities: 5 without a next step, "
            + "5 with a past close date, 5 idle for more than 14 days, 5 without a decision maker, 5 pushed more than 2 times"));
        Assert.That(Component(bob, TrustComponentKind.Delegation).Evidence, Does.StartWith("delegated 0 of 24 admin tasks"));
        Assert.That(Component(bob, TrustComponentKind.SellingActivity).Evidence,
            Is.EqualTo("logged 36 selling activities; at or above the team's weekly median in 0 of 12 weeks"));

        Assert.That(bob.Improvements, Has.Count.EqualTo(3));
        Assert.That(bob.Improvements.Select(i => i.Points), Is.Ordered.Descending);
        Assert.That(bob.Improvements.Select(i => i.Points), Is.All.GreaterThan(0));
        Assert.That(bob.Improvements[0].Text, Does.Match(@"^.+: \+\d+\.\d$"));
        Assert.That(bob.Improvements.Select(i => i.Action), Has.Some.Contains("5 opportunities"));

        Assert.That(bob.OpportunitiesToRaise, Has.Count.EqualTo(5));
        var junk = bob.OpportunitiesToRaise[0];
        // No next step and nothing dated on the deal: the next-step date check does not apply.
        Assert.That(junk.Flags, Is.EqualTo(OpportunityFlags.NoNextStep | OpportunityFlags.CloseDatePast
            | OpportunityFlags.Stale | OpportunityFlags.NoDecisionMaker | OpportunityFlags.CloseDatePushedTooOften));
        Assert.That(junk.Reasons, Has.Count.EqualTo(5));
        Assert.That(junk.Reasons, Does.Contain("close date 2026-11-06 has passed"));
        Assert.That(junk.Reasons, Does.Contain("no activity for 60 days"));
        Assert.That(junk.CloseDatePushes, Is.EqualTo(3));

        var ann = Rep(report, org, "ann");
        Assert.That(ann.OpportunitiesToRaise, Is.Empty);
        Assert.That(ann.Improvements.Select(i => i.Component), Has.None.EqualTo(TrustComponentKind.PipelineHonesty));
    }

    [Test]
    public void ImprovementPointsMatchTheWhatIf()
    {
        // Fixing the one stale opportunity must raise the score by the points announced.
        var org = GoodAndBadReps();
        var cat = Rep(Score(org), org, "cat");
        var stale = cat.Improvements.Single(i => i.Action.StartsWith("log activity on 1 opportunity", StringComparison.Ordinal));

        var fixedOrg = GoodAndBadReps();
        var idle = fixedOrg.Build();
        var opportunities = idle.Opportunities.Select(o => o.Id == fixedOrg.OpportunityId("cat-idle")
            ? o with { LastActivityDate = fixedOrg.Today } : o).ToArray();
        var after = Rep(DefaultScorer.Score(idle with { Opportunities = opportunities }, fixedOrg.AsOf), fixedOrg, "cat");

        // The team prior moves a little too (cat is in the mean), hence the tolerance.
        Assert.That(after.Trust - cat.Trust, Is.EqualTo(stale.Points).Within(0.3));
    }

    [Test]
    public void PipelineChecksFollowTheDesign()
    {
        var org = new TestOrg().Team("boss", "ann");
        org.Opportunity("ann", "clean")
            .Opportunity("ann", "past-next-step", o => o.NextStepTaskDueIn(-3))
            .Opportunity("ann", "pushed-twice", o => o.PushedTimes(2))
            .Opportunity("ann", "pushed-thrice", o => o.PushedTimes(3))
            .Opportunity("ann", "idle-14", o => o.Idle(14))
            .Opportunity("ann", "idle-15", o => o.Idle(15))
            .Opportunity("ann", "closed", o => o.Junk().ClosedDeal());
        var flags = Score(org).Reps.Single().OpportunitiesToRaise.ToDictionary(o => o.OpportunityId, o => o.Flags);

        Assert.That(flags.Keys, Is.EquivalentTo(new[] { "past-next-step", "pushed-thrice", "idle-15" }.Select(org.OpportunityId)));
        Assert.That(flags[org.OpportunityId("past-next-step")], Is.EqualTo(OpportunityFlags.NextStepDatePast));
        Assert.That(flags[org.OpportunityId("pushed-thrice")], Is.EqualTo(OpportunityFlags.CloseDatePushedTooOften));
        Assert.That(flags[org.OpportunityId("idle-15")], Is.EqualTo(OpportunityFlags.Stale));
    }

    [Test]
    public void NextStepDateComesFromTheConfiguredFieldWhenSet()
    {
        var org = new TestOrg().Team("boss", "ann");
        org.Opportunity("ann", "dated", o => o.WithoutNextStepDate().NextStepDateIn(5))
            .Opportunity("ann", "task-only");
        var settings = new TrustSettings { NextStepDateField = "Next_Step_Date__c" };
        var raised = Score(org, settings).Reps.Single().OpportunitiesToRaise;
        Assert.That(raised.Single().OpportunityId, Is.EqualTo(org.OpportunityId("task-only")));
        Assert.That(raised.Single().Flags, Is.EqualTo(OpportunityFlags.NextStepDateMissing));
    }

    [Test]
    public void UpcomingMeetingOnTheOpportunityIsANextStepDate()
    {
        var org = new TestOrg().Team("boss", "ann");
        org.Opportunity("ann", "meeting", o => o.WithoutNextStepDate())
            .Meeting("ann", org.AsOf.AddDays(3), "Demo", null, false, false, org.OpportunityId("meeting"));
        Assert.That(Score(org).Reps.Single().OpportunitiesToRaise, Is.Empty);
    }

    [Test]
    public void SellingActivityIsRelativeToTheTeamMedian()
    {
        var org = new TestOrg().Team("boss", "low", "mid", "high");
        org.CallsEachWeek("low", 5, 12).CallsEachWeek("mid", 10, 12).CallsEachWeek("high", 20, 12);
        var report = Score(org);
        Assert.That(Component(Rep(report, org, "low"), TrustComponentKind.SellingActivity).RawRate, Is.EqualTo(0.5).Within(1e-12));
        Assert.That(Component(Rep(report, org, "mid"), TrustComponentKind.SellingActivity).RawRate, Is.EqualTo(1));
        Assert.That(Component(Rep(report, org, "high"), TrustComponentKind.SellingActivity).RawRate, Is.EqualTo(1));
    }

    [Test]
    public void DelegationSaturatesAtTheTarget()
    {
        var org = new TestOrg().Team("boss", "ann", "bob");
        // ann: 3 delegated, 2 kept = 60%, full marks; bob: 1 of 4 = 25% -> 0.25 / 0.6.
        org.Delegated("ann", org.InWeek(1)).Delegated("ann", org.InWeek(1)).Delegated("ann", org.InWeek(1)).Kept("ann", 1).Kept("ann", 1);
        org.Delegated("bob", org.InWeek(1)).Kept("bob", 1).Kept("bob", 1).Kept("bob", 1);
        var report = Score(org);
        Assert.That(Component(Rep(report, org, "ann"), TrustComponentKind.Delegation).RawRate, Is.EqualTo(1));
        Assert.That(Component(Rep(report, org, "bob"), TrustComponentKind.Delegation).RawRate, Is.EqualTo(0.25 / 0.6).Within(1e-12));
    }

    [Test]
    public void WeekOverWeekChangeMatchesScoringOneWeekEarlier()
    {
        var org = GoodAndBadReps().Rep("dan", "boss");
        for (var week = 1; week < 12; week++)
            org.Review("dan", week);
        // Friday of last week comes after the moment a week ago: only the current score sees it.
        org.Meeting("boss", org.InWeek(1, dayOfWeek: 4), "one-on-one", invitees: ("dan", "Accepted"))
            .Task("dan", "dan", "Call", "Call", org.InWeek(1, dayOfWeek: 4), org.InWeek(1, dayOfWeek: 4));
        org.Review("dan", 0, status: "Declined").Calls("dan", 1, 8).Opportunity("dan", "slipping", o => o.CloseIn(-2).Idle(9));
        var snapshot = org.Build();
        var now = DefaultScorer.Score(snapshot, org.AsOf);
        var weekBefore = DefaultScorer.Score(snapshot, org.AsOf.AddDays(-7));

        var dan = now.Reps.Single(r => r.RepId == org.Id("dan"));
        Assert.That(dan.Change, Is.LessThan(0), "missed this week's review and let a close date pass");
        Assert.That(dan.Change, Is.EqualTo(dan.Trust - dan.PreviousTrust));
        foreach (var rep in now.Reps)
        {
            var before = weekBefore.Reps.Single(r => r.RepId == rep.RepId);
            Assert.That(rep.PreviousTrust, Is.EqualTo(before.Trust).Within(1e-9), rep.Name);
        }
        Assert.That(weekBefore.Week, Is.EqualTo("2026-W47"));
        Assert.That(now.Week, Is.EqualTo("2026-W48"));
    }

    [Test]
    public void ManagerMirrorCountsReviewsHeldAndDelegatedWorkServed()
    {
        var org = new TestOrg().Team("boss", "ann", "bob");
        org.Meeting("boss", org.InWeek(1), "Team pipeline review", null, false, false, ("ann", "Accepted"), ("bob", "Accepted"))
            .Review("ann", 2).Review("bob", 2).Review("ann", 5)
            .Review("bob", 6, deleted: true);
        var monday = org.InWeek(3, dayOfWeek: 0);
        org.Delegated("ann", monday, completedAfterDays: 2)                    // 2 working days: in time
            .Delegated("ann", monday.AddDays(4), completedAfterDays: 7)        // Friday -> next Friday: 5 working days, in time
            .Delegated("bob", monday, completedAfterDays: 10)                  // 8 working days: late
            .Delegated("bob", org.InWeek(2), completedAfterDays: null)         // open for more than 5 working days
            .Delegated("bob", org.AsOf.AddDays(-1), completedAfterDays: null)  // open, not yet due
            .Task("boss", "boss", "Paperwork", "Admin", monday);               // the manager's own: not delegated
        var mirror = Score(org).Managers.Single();

        Assert.That(mirror.ManagerId, Is.EqualTo(org.Id("boss")));
        Assert.That(mirror.Reps, Is.EqualTo(2));
        Assert.That(mirror.ReviewsHeld, Is.EqualTo(4));
        Assert.That(mirror.WeeksWithReview, Is.EqualTo(3));
        Assert.That(mirror.ReviewsPerWeek, Is.EqualTo(4 / 12.0).Within(1e-12));
        Assert.That(mirror.DelegatedTasks, Is.EqualTo(5));
        Assert.That(mirror.CompletedInTime, Is.EqualTo(2));
        Assert.That(mirror.CompletedLate, Is.EqualTo(1));
        Assert.That(mirror.OpenOverdue, Is.EqualTo(1));
        Assert.That(mirror.OpenNotYetDue, Is.EqualTo(1));
        Assert.That(mirror.ServiceRate, Is.EqualTo(0.5));
        Assert.That(mirror.Evidence, Does.Contain("held 4 reviews in 12 weeks"));
    }

    [Test]
    public void ManagerLoopAndUnknownOwnersAreReportedNotScored()
    {
        var org = new TestOrg()
            .User("alpha", "beta").User("beta", "alpha")
            .User("self", "self")
            .Rep("ann", "alpha")
            .User("inactive", "alpha", active: false)
            .User("lost", "ghost");
        org.Task("ghost", "ann", "Call", "Call", org.InWeek(1), org.InWeek(1))
            .Task(SalesforceId.Create(IdPrefix.Queue, 1), "ann", "Call", "Call", org.InWeek(1));
        var snapshot = org.Build();
        var ghostTask = snapshot.Tasks[0] with { OwnerId = SalesforceId.Create(IdPrefix.User, 9999) };
        var queueTask = snapshot.Tasks[1] with { OwnerId = SalesforceId.Create(IdPrefix.Queue, 1) };
        var report = DefaultScorer.Score(snapshot with { Tasks = [ghostTask, queueTask] }, org.AsOf);

        Assert.That(report.Reps.Select(r => r.Name), Is.EquivalentTo(new[] { "ann", "lost" }));
        var loops = report.Issues.Where(i => i.Kind == DataIssueKind.ManagerLoop).ToList();
        Assert.That(loops, Has.Count.EqualTo(2));
        Assert.That(loops.SelectMany(l => l.RecordIds), Is.EquivalentTo(new[] { org.Id("alpha"), org.Id("beta"), org.Id("self") }));
        var unknownOwner = report.Issues.Single(i => i.Kind == DataIssueKind.UnknownOwner);
        Assert.That(unknownOwner.Count, Is.EqualTo(1), "a queue owner is not an unknown owner");
        Assert.That(unknownOwner.RecordIds, Is.EqualTo(new[] { ghostTask.Id }));
        Assert.That(unknownOwner.Message, Does.StartWith("1 Tasks are owned by an id"));
        var unknownManager = report.Issues.Single(i => i.Kind == DataIssueKind.UnknownManager);
        Assert.That(unknownManager.RecordIds, Is.EqualTo(new[] { org.Id("lost") }));
        Assert.That(report.Managers.Single(m => m.ManagerId == org.Id("ghost")).Name, Is.Null);
    }

    [Test]
    public void DuplicateUsersAndOpportunitiesWithoutIdAreReported()
    {
        var org = new TestOrg().Team("boss", "ann").Opportunity("ann", "deal");
        var snapshot = org.Build();
        var broken = snapshot with
        {
            Users = [.. snapshot.Users, snapshot.Users[1] with { Name = "Ann again" }],
            Opportunities = [.. snapshot.Opportunities, snapshot.Opportunities[0] with { Id = "" }],
        };
        var report = DefaultScorer.Score(broken, org.AsOf);

        Assert.That(report.Reps.Single().Name, Is.EqualTo("ann"));
        Assert.That(report.Issues.Select(i => i.Kind), Is.EquivalentTo(new[] { DataIssueKind.DuplicateUser, DataIssueKind.MissingId }));
        Assert.That(report.Issues.Single(i => i.Kind == DataIssueKind.DuplicateUser).RecordIds, Is.EqualTo(new[] { org.Id("ann") }));
        Assert.That(Component(report.Reps.Single(), TrustComponentKind.PipelineHonesty).OutOf, Is.EqualTo(6));
    }

    [Test]
    public void WeeksFollowTheConfiguredTimeZone()
    {
        var org = new TestOrg().Team("boss", "ann");
        // Monday 23 November 03:00 UTC is Sunday 22 November 19:00 in Los Angeles: the week before.
        org.Meeting("boss", new DateTimeOffset(2026, 11, 23, 3, 0, 0, TimeSpan.Zero), "1:1", invitees: ("ann", "Accepted"));
        var utc = Component(Score(org).Reps.Single(), TrustComponentKind.ReviewAttendance);
        var losAngeles = Component(Score(org, new TrustSettings { TimeZone = "America/Los_Angeles" }).Reps.Single(),
            TrustComponentKind.ReviewAttendance);

        Assert.That(utc.EffectiveObservations, Is.EqualTo(1), "as-of week in UTC");
        Assert.That(losAngeles.EffectiveObservations, Is.EqualTo(Math.Pow(0.5, 1 / 4.0)).Within(1e-12), "one week old in Los Angeles");
    }

    [Test]
    public void WeekLabelIsTheIsoWeekInTheOrgTimeZone()
    {
        // Monday 05:00 UTC is still Sunday evening in Los Angeles.
        var asOf = new DateTimeOffset(2026, 11, 23, 5, 0, 0, TimeSpan.Zero);
        var org = new TestOrg(asOf).Team("boss", "ann");
        Assert.That(DefaultScorer.Score(org.Build(), asOf).Week, Is.EqualTo("2026-W48"));
        Assert.That(new TrustScorer(new TrustSettings { TimeZone = "America/Los_Angeles" }).Score(org.Build(), asOf).Week, Is.EqualTo("2026-W47"));
        // 1 January 2027 is a Friday: ISO week 53 of 2026.
        var newYear = new DateTimeOffset(2027, 1, 1, 12, 0, 0, TimeSpan.Zero);
        Assert.That(DefaultScorer.Score(new TestOrg(newYear).Build(), newYear).Week, Is.EqualTo("2026-W53"));
    }

    [Test]
    public void WeekOverWeekHoldsAcrossADaylightSavingChange()
    {
        // Paris moves to summer time on Sunday 29 March 2026: as of Monday 00:30 local, the week before had
        // 167 hours, so 168 hours earlier would fall in the wrong week; the previous moment is Monday 00:30 local.
        var settings = new TrustSettings { TimeZone = "Europe/Paris" };
        var asOf = new DateTimeOffset(2026, 3, 30, 0, 30, 0, TimeSpan.FromHours(2));
        var org = GoodAndBadReps(asOf);
        org.Meeting("boss", new DateTimeOffset(2026, 3, 23, 0, 15, 0, TimeSpan.FromHours(1)), "1:1", invitees: ("bob", "Accepted"));
        var scorer = new TrustScorer(settings);
        var snapshot = org.Build();
        var now = scorer.Score(snapshot, asOf);
        var weekBefore = scorer.Score(snapshot, new DateTimeOffset(2026, 3, 23, 0, 30, 0, TimeSpan.FromHours(1)));

        Assert.That(now.Week, Is.EqualTo("2026-W14"));
        Assert.That(weekBefore.Week, Is.EqualTo("2026-W13"));
        foreach (var rep in now.Reps)
            Assert.That(rep.PreviousTrust, Is.EqualTo(weekBefore.Reps.Single(r => r.RepId == rep.RepId).Trust).Within(1e-9), rep.Name);
    }

    [TestCase("Mars/Olympus_Mons")]
    [TestCase("")]
    public void UnknownTimeZoneIsRejectedClearly(string zone)
    {
        var error = Assert.Throws<ArgumentException>(() => _ = new TrustScorer(new TrustSettings { TimeZone = zone }));
        Assert.That(error!.Message, Does.Contain("TrustSettings.TimeZone"));
    }

    [Test]
    public void InvalidSettingsAreRejectedNamingTheSetting()
    {
        Assert.That(() => new TrustScorer(new TrustSettings { ReviewSubjectPattern = "(unclosed" }),
            Throws.ArgumentException.With.Message.Contains("TrustSettings.ReviewSubjectPattern"));
        Assert.That(() => new TrustScorer(new TrustSettings { Weights = new ComponentWeights { Delegation = 0.5 } }),
            Throws.ArgumentException.With.Message.Contains("must sum to 1"));
        Assert.That(() => new TrustScorer(new TrustSettings { WindowWeeks = 0 }),
            Throws.ArgumentException.With.Message.Contains("TrustSettings.WindowWeeks"));
        Assert.That(() => new TrustScorer(new TrustSettings { DelegationTarget = 0 }),
            Throws.ArgumentException.With.Message.Contains("TrustSettings.DelegationTarget"));
    }
}
