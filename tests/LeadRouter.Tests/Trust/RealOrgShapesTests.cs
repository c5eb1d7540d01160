using LeadRouter.Org;
using LeadRouter.Rules;
using LeadRouter.Testing;
using LeadRouter.Trust;

namespace LeadRouter.Tests.Trust;

/// <summary>
/// The shapes real orgs hold (recurring series, Shared Activities, rep-owned reviews, internal meetings,
/// weeks off, a change of manager, a manager who holds no reviews), each with its effect on the score.
/// </summary>
public class RealOrgShapesTests
{
    private static readonly TrustScorer Scorer = new(new TrustSettings());

    private static TrustReport Score(TestOrg org, IReadOnlyList<StoredTrust>? stored = null) => Scorer.Score(org.Build(), org.AsOf, stored);

    private static RepTrust Rep(TrustReport report, TestOrg org, string name) => report.Reps.Single(r => r.RepId == org.Id(name));

    private static TrustComponent Component(RepTrust rep, TrustComponentKind kind) => rep.Components.Single(c => c.Kind == kind);

    private static TrustComponent Reviews(RepTrust rep) => Component(rep, TrustComponentKind.ReviewAttendance);

    /// <summary>Twelve full weeks of the rep's own work: calls, delegated and kept admin, a clean pipeline.</summary>
    private static TestOrg Busy(TestOrg org, params string[] reps)
    {
        foreach (var rep in reps)
        {
            org.CallsEachWeek(rep, 8, 12).CleanOpportunities(rep, 5);
            for (var week = 0; week < 12; week++)
                org.Kept(rep, week).Delegated(rep, org.InWeek(week));
        }
        return org;
    }

    [Test]
    public void OccurrencesOfARecurringSeriesAreReviewsAndTheSeriesMasterIsNot()
    {
        var org = new TestOrg().Team("boss", "ann", "bob", "cat");
        var master = org.NewId("00U");
        // The master carries the series' first start; here it falls inside the window, declined, and must not count.
        org.Event(new CalendarEvent(master, "1:1 boss / ann", "Pipeline Review", org.InWeek(0), org.InWeek(0).AddMinutes(30), 30, false,
            org.Id("boss"), null, false, IsRecurrence: true), new EventRelation(master, org.Id("ann"), "Declined", true));
        for (var week = 0; week < 12; week++)
        {
            var occurrence = org.NewId("00U");
            org.Event(new CalendarEvent(occurrence, "1:1 boss / ann", "Pipeline Review", org.InWeek(week), org.InWeek(week).AddMinutes(30), 30,
                false, org.Id("boss"), null, false), new EventRelation(occurrence, org.Id("ann"), "Accepted", true));
        }

        var ann = Reviews(Rep(Score(org), org, "ann"));
        Assert.That((ann.Hits, ann.OutOf), Is.EqualTo((12, 12)));
        Assert.That(ann.RawRate, Is.EqualTo(1));
    }

    [Test]
    public void SharedActivityContactsAreIgnoredForAttendanceWhileTheCustomerMeetingCountsAsSelling()
    {
        var org = new TestOrg().Team("boss", "ann", "bob", "cat");
        var contact = org.NewId("003");
        for (var week = 0; week < 4; week++)
        {
            // A review the rep owns, with the manager invited and, Shared Activities style, a related contact
            // (IsParent, not invited) and an invited contact who declined.
            var review = org.NewId("00U");
            org.Event(new CalendarEvent(review, "Pipeline review", null, org.InWeek(week), null, 30, false, org.Id("ann"), null, false),
                new EventRelation(review, org.Id("boss"), "Accepted", true),
                new EventRelation(review, contact, null, false, IsParent: true),
                new EventRelation(review, org.NewId("003"), "Declined", true, IsParent: true));
        }
        var meeting = org.NewId("00U");
        org.Event(new CalendarEvent(meeting, "Demo", "Meeting", org.InWeek(1, hour: 15), null, 30, false, org.Id("ann"), null, false, WhoId: contact),
            new EventRelation(meeting, contact, null, false, IsParent: true));

        var ann = Rep(Score(org), org, "ann");
        Assert.That((Reviews(ann).Hits, Reviews(ann).OutOf), Is.EqualTo((4, 4)), "the rep owns the review: attended; contacts say nothing");
        Assert.That(Component(ann, TrustComponentKind.SellingActivity).Evidence, Does.StartWith("logged 1 selling activities"));
    }

    [Test]
    public void ReviewTheManagerDeclinedWasNotHeld()
    {
        var org = new TestOrg().Team("boss", "ann", "bob", "cat");
        org.RepOwnedReview("ann", 0).RepOwnedReview("ann", 1, managerStatus: "Declined").RepOwnedReview("ann", 2, managerStatus: "New");
        var reviews = Reviews(Rep(Score(org), org, "ann"));
        Assert.That((reviews.Hits, reviews.OutOf), Is.EqualTo((2, 2)));
    }

    [Test]
    public void AManagersMissedReviewsCostTheRepNothingInValueConfidenceOrTierEligibility()
    {
        var org = new TestOrg().Team("boss", "ann", "amy", "abe").Team("absent", "dan", "dot", "dee").Team("half", "hal", "hob", "hex");
        foreach (var rep in new[] { "ann", "amy", "abe" })
            org.Reviews(rep, Enumerable.Range(0, 12).ToArray());
        foreach (var rep in new[] { "hal", "hob", "hex" })
            org.Reviews(rep, 0, 2, 4, 6, 8, 10);
        Busy(org, "ann", "amy", "abe", "dan", "dot", "dee", "hal", "hob", "hex");
        var report = Score(org);
        var (ann, dan, hal) = (Rep(report, org, "ann"), Rep(report, org, "dan"), Rep(report, org, "hal"));

        // Value: no review held is no observation; the prior is the rest of the org, who attended every review held.
        Assert.That(Reviews(dan).RawRate, Is.Null);
        Assert.That(Reviews(dan).Value, Is.EqualTo(1).Within(1e-12));
        Assert.That(dan.Trust, Is.EqualTo(ann.Trust).Within(1e-9));
        Assert.That(hal.Trust, Is.EqualTo(ann.Trust).Within(1e-9));

        // Confidence: half the weeks skipped by the manager changes nothing; none held leaves attendance out.
        Assert.That(hal.Confidence, Is.EqualTo(ann.Confidence).Within(1e-12));
        var own = dan.Components.Where(c => c.Kind != TrustComponentKind.ReviewAttendance).ToList();
        var expected = own.Sum(c => c.Weight * c.EffectiveObservations / (c.EffectiveObservations + 2)) / own.Sum(c => c.Weight);
        Assert.That(dan.Confidence, Is.EqualTo(expected).Within(1e-12));

        // Eligibility: the example rules' tier A minimum confidence, and 0.5, which the old formula kept dan
        // under (about 0.47).
        var example = RulesFile.Load(Path.Combine(RepoPaths.Root, "src", "LeadRouter.Core", "Rules", "routing-rules.example.jsonc"));
        var tierA = example.Rules!.Tiers.Single(t => t.Name == "A");
        Assert.That(tierA.MinConfidence, Is.GreaterThan(0), "the example's tier A asks for a minimum confidence");
        Assert.That(dan.Confidence, Is.GreaterThanOrEqualTo(Math.Max(tierA.MinConfidence, 0.5)));
    }

    [Test]
    public void InternalMeetingsAreNotSellingActivity()
    {
        var org = new TestOrg().Team("boss", "ann", "bob", "cat");
        foreach (var rep in new[] { "ann", "bob", "cat" })
            org.CallsEachWeek(rep, 4, 12);
        var opportunity = org.OpportunityId("deal");
        for (var week = 0; week < 12; week++)
        {
            org.RepMeeting("ann", week, subject: "Deal desk sync").RepMeeting("ann", week, subject: "Enablement: new pricing");
            org.RepMeeting("bob", week, whatId: opportunity).RepMeeting("bob", week, whoId: org.NewId("00Q"));
        }
        var report = Score(org);
        Assert.That(Component(Rep(report, org, "ann"), TrustComponentKind.SellingActivity).Evidence, Does.StartWith("logged 48 selling"));
        Assert.That(Component(Rep(report, org, "bob"), TrustComponentKind.SellingActivity).Evidence, Does.StartWith("logged 72 selling"));
    }

    [Test]
    public void AWeekOffIsNoObservationOfSellingNorOfTheReviewMissedThatWeek()
    {
        var org = new TestOrg().Team("boss", "ann", "bob", "cat");
        foreach (var rep in new[] { "ann", "bob", "cat" })
        {
            for (var week = 0; week < 12; week++)
            {
                if (rep != "ann" || week != 3)
                    org.Calls(rep, week, 6);
                org.Review(rep, week, status: rep == "ann" && week == 3 ? "Declined" : "Accepted");
            }
        }
        var plain = Score(org);
        org.OutOfOffice("ann", 3);
        var report = Score(org);

        var before = Rep(plain, org, "ann");
        var after = Rep(report, org, "ann");
        Assert.That(Component(before, TrustComponentKind.SellingActivity).OutOf, Is.EqualTo(12));
        Assert.That(Component(before, TrustComponentKind.SellingActivity).RawRate, Is.LessThan(1));
        Assert.That((Reviews(before).Hits, Reviews(before).OutOf), Is.EqualTo((11, 12)));

        Assert.That(Component(after, TrustComponentKind.SellingActivity).OutOf, Is.EqualTo(11));
        Assert.That(Component(after, TrustComponentKind.SellingActivity).RawRate, Is.EqualTo(1));
        Assert.That((Reviews(after).Hits, Reviews(after).OutOf), Is.EqualTo((11, 11)));
        Assert.That(after.Trust, Is.GreaterThan(before.Trust));
    }

    [Test]
    public void ARepWhoseManagerChangedIsJudgedAgainstTheManagerOfEachWeek()
    {
        var org = new TestOrg().Team("old", "ola", "oli", "oz").Team("new", "mover", "nia", "ned");
        for (var week = 0; week < 12; week++)
        {
            // Weeks 6 to 11 ago the rep reported to "old"; since then to "new" (their ManagerId today).
            var manager = week >= 6 ? "old" : "new";
            org.Meeting(manager, org.InWeek(week), "1:1 pipeline review", invitees: ("mover", "Accepted"));
        }
        org.Delegated("mover", org.InWeek(0));
        org.Task("old", "mover", "Expense report", "Admin", org.InWeek(8), org.InWeek(8).AddDays(1));
        org.Task("nia", "mover", "Expense report", "Admin", org.InWeek(9), org.InWeek(9).AddDays(1));

        var report = Score(org);
        var mover = Rep(report, org, "mover");
        Assert.That((Reviews(mover).Hits, Reviews(mover).OutOf), Is.EqualTo((12, 12)));
        var delegation = Component(mover, TrustComponentKind.Delegation);
        Assert.That((delegation.Hits, delegation.OutOf), Is.EqualTo((2, 2)), "work handed to the former manager counts; to a peer it does not");
        Assert.That(report.Managers.Single(m => m.ManagerId == org.Id("old")).ReviewsHeld, Is.EqualTo(6));
    }

    [Test]
    public void TheTeamPriorLeavesTheRepOut()
    {
        var org = new TestOrg().Team("boss", "ann", "bob", "cat");
        org.Reviews("ann", 0, 1, 2, 3);
        org.Review("bob", 0).Review("bob", 1, status: "Declined");
        org.Review("cat", 0, status: "Declined").Review("cat", 1, status: "Declined");
        var report = Score(org);

        var raw = new[] { "ann", "bob", "cat" }.ToDictionary(n => n, n => Reviews(Rep(report, org, n)).RawRate!.Value);
        Assert.That(raw["ann"], Is.EqualTo(1));
        Assert.That(raw["cat"], Is.EqualTo(0));
        Assert.That(Reviews(Rep(report, org, "ann")).TeamPrior, Is.EqualTo((raw["bob"] + raw["cat"]) / 2).Within(1e-12));
        Assert.That(Reviews(Rep(report, org, "bob")).TeamPrior, Is.EqualTo((raw["ann"] + raw["cat"]) / 2).Within(1e-12));
        Assert.That(Reviews(Rep(report, org, "cat")).TeamPrior, Is.EqualTo((raw["ann"] + raw["bob"]) / 2).Within(1e-12));
    }

    [Test]
    public void ChangeAndTrendComeFromTheStoredWeeklyScores()
    {
        // ann cleaned up her pipeline this week: today's snapshot shows only clean deals, so re-scoring it a
        // week earlier cannot see the change; last week's stored score can.
        var org = Busy(new TestOrg().Team("boss", "ann", "bob", "cat"), "ann", "bob", "cat");
        var ann = org.Id("ann");
        var stored = new List<StoredTrust>
        {
            new(ann, "2026-W47", 41.5), new(ann, "2026-W45", 38), new(ann, "2026-W37", 30),
            new(ann, "2026-W36", 99), // before the window
            new(ann, "2026-W48", 99), // this week, being scored again
            new(org.Id("bob"), "2026-W46", 70),
        };
        var withStore = Rep(Score(org, stored), org, "ann");
        var without = Rep(Score(org), org, "ann");

        Assert.That(withStore.Trust, Is.EqualTo(without.Trust));
        Assert.That(without.PreviousTrustStored, Is.False);
        Assert.That(without.Change, Is.EqualTo(without.Trust - without.PreviousTrust));
        Assert.That(withStore.PreviousTrustStored, Is.True);
        Assert.That(withStore.PreviousTrust, Is.EqualTo(41.5));
        Assert.That(withStore.Change, Is.EqualTo(withStore.Trust - 41.5));
        Assert.That(withStore.Trend, Is.EqualTo(new[]
        {
            new TrustWeek("2026-W37", 30), new TrustWeek("2026-W45", 38), new TrustWeek("2026-W47", 41.5), new TrustWeek("2026-W48", withStore.Trust),
        }));
        Assert.That(without.Trend, Is.EqualTo(new[] { new TrustWeek("2026-W48", without.Trust) }));
        var bob = Rep(Score(org, stored), org, "bob");
        Assert.That(bob.PreviousTrustStored, Is.False, "bob has no score kept for last week");
        Assert.That(bob.Trend.Select(w => w.Week), Is.EqualTo(new[] { "2026-W46", "2026-W48" }));
    }

    [Test]
    public void TheAuditScoresADealOnTheChecksThatApplyToIt()
    {
        var org = new TestOrg().Team("boss", "ann");
        org.Opportunity("ann", "no-next-step", o => o.WithoutNextStep().WithoutNextStepDate());
        var pipeline = Component(Score(org).Reps.Single(), TrustComponentKind.PipelineHonesty);
        // No next step and nothing dated on the deal: the date check has no source, the missing next step fails once.
        Assert.That((pipeline.Hits, pipeline.OutOf), Is.EqualTo((4, 5)));
        Assert.That(pipeline.RawRate, Is.EqualTo(0.8).Within(1e-12));
        Assert.That(Score(org).Reps.Single().OpportunitiesToRaise.Single().Flags, Is.EqualTo(OpportunityFlags.NoNextStep));

        // With a configured next-step date field the date is always expected.
        var withField = Component(new TrustScorer(new TrustSettings { NextStepDateField = "Next_Step_Date__c" }).Score(org.Build(), org.AsOf).Reps.Single(),
            TrustComponentKind.PipelineHonesty);
        Assert.That((withField.Hits, withField.OutOf), Is.EqualTo((4, 6)));
    }

    [Test]
    public void PatternsMatchInLinearTimeSoScoringNeverDependsOnTheClock()
    {
        Assert.That(() => new TrustScorer(new TrustSettings { ReviewSubjectPattern = @"(1:1)\s+\1" }),
            Throws.ArgumentException.With.Message.Contains("ReviewSubjectPattern").And.Message.Contains("linear-time"));
        // A subject that makes a backtracking engine explode is matched at once.
        var org = new TestOrg().Team("boss", "ann");
        org.Task("ann", "ann", new string('a', 20_000) + "!", null, org.InWeek(0), org.InWeek(0).AddHours(1));
        var report = new TrustScorer(new TrustSettings { AdminSubjectPattern = "^(a+)+$" }).Score(org.Build(), org.AsOf);
        Assert.That(report.Issues, Is.Empty);
        Assert.That(Component(report.Reps.Single(), TrustComponentKind.Delegation).OutOf, Is.Zero);
    }
}
