using System.Globalization;
using System.Text.RegularExpressions;
using LeadRouter.SalesforceEmulator.Generation;
using LeadRouter.Trust;

namespace LeadRouter.Tests.Emulator.Generation;

/// <summary>
/// The personas must show in the records the way the trust score reads them (default TrustSettings):
/// these tests measure each rep as the score would and compare the personas.
/// </summary>
public class PersonaBehaviourTests
{
    private static readonly DateTimeOffset AsOf = new(2026, 11, 26, 15, 30, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = DateOnly.FromDateTime(AsOf.UtcDateTime);

    /// <summary>Monday of the oldest of the 12 ISO weeks ending with the as-of week (AsOf is a Thursday).</summary>
    private static readonly DateOnly WindowStart = Today.AddDays(-3 - 7 * 11);
    private static readonly TrustSettings Settings = new();
    private static readonly Regex ReviewSubject = new(Settings.ReviewSubjectPattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    private static readonly Regex AdminSubject = new(Settings.AdminSubjectPattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    private GeneratedOrg _org = null!;
    private Dictionary<string, IReadOnlyDictionary<string, object?>> _users = null!;
    private Dictionary<string, RepStats> _stats = null!;

    [OneTimeSetUp]
    public void MeasureMediumOrg()
    {
        _org = OrgGenerator.Generate(OrgSize.Medium, 11, AsOf);
        _users = _org.Records["User"].ToDictionary(u => (string)u["Id"]!);
        _stats = _org.RepPersonas.Keys.ToDictionary(id => id, _ => new RepStats());
        MeasureReviews();
        MeasureTasks();
        MeasurePipelines();
    }

    private sealed class RepStats
    {
        public int ReviewsHeld, ReviewsDeclined, Delegated, Kept, Selling, OpenOpportunities;
        public double HonestyChecksPassed;
        public DateOnly? FirstActivity;
    }

    private IEnumerable<RepStats> Of(RepPersona persona) => _org.RepPersonas.Where(p => p.Value == persona).Select(p => _stats[p.Key]);

    private static bool IsReview(IReadOnlyDictionary<string, object?> e) =>
        e["IsAllDayEvent"] is false
        && (Settings.ReviewTypes.Contains(e["Type"] as string) || ReviewSubject.IsMatch(e["Subject"] as string ?? ""));

    private static bool IsAdmin(IReadOnlyDictionary<string, object?> task) =>
        Settings.AdminTaskTypes.Contains(task["Type"] as string) || AdminSubject.IsMatch(task["Subject"] as string ?? "");

    private static bool IsSelling(IReadOnlyDictionary<string, object?> task) =>
        Settings.SellingActivityTypes.Contains(task["Type"] as string) || Settings.SellingActivityTypes.Contains(task["TaskSubtype"] as string);

    private string? ManagerOf(string userId) => _users[userId]["ManagerId"] as string;

    /// <summary>Reviews held (a series' occurrences, not its master), whoever owns them; a review the manager declined was not held.</summary>
    private void MeasureReviews()
    {
        var relations = _org.Records["EventRelation"].ToLookup(r => (string)r["EventId"]!);
        foreach (var review in _org.Records["Event"])
        {
            if (!IsReview(review) || review["IsDeleted"] is true || review["IsRecurrence"] is true || (DateTimeOffset)review["StartDateTime"]! >= AsOf)
                continue;
            var invited = relations[(string)review["Id"]!].ToList();
            if (_stats.TryGetValue((string)review["OwnerId"]!, out var owner))
            {
                if (invited.All(r => r["Status"] is not "Declined"))
                    owner.ReviewsHeld++;
                continue;
            }
            foreach (var relation in invited)
            {
                if (!_stats.TryGetValue((string)relation["RelationId"]!, out var stats))
                    continue;
                stats.ReviewsHeld++;
                if (relation["Status"] is "Declined")
                    stats.ReviewsDeclined++;
            }
        }
    }

    private void MeasureTasks()
    {
        foreach (var task in _org.Records["Task"])
        {
            if (task["IsDeleted"] is true)
                continue;
            var owner = (string)task["OwnerId"]!;
            var creator = (string)task["CreatedById"]!;
            if (IsAdmin(task))
            {
                if (_stats.TryGetValue(creator, out var rep) && ManagerOf(creator) == owner)
                    rep.Delegated++;
                else if (_stats.TryGetValue(owner, out rep) && creator == owner && task["IsClosed"] is true)
                    rep.Kept++;
            }
            else if (IsSelling(task) && task["IsClosed"] is true && _stats.TryGetValue(owner, out var seller))
            {
                seller.Selling++;
                var day = (DateOnly)task["ActivityDate"]!;
                if (seller.FirstActivity is null || day < seller.FirstActivity)
                    seller.FirstActivity = day;
            }
        }
    }

    /// <summary>The six pipeline checks of the domain design, per open opportunity.</summary>
    private void MeasurePipelines()
    {
        var windowStart = new DateTimeOffset(WindowStart.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var pushes = _org.Records["OpportunityHistory"]
            .Where(h => h["PrevCloseDate"] is DateOnly previous && (DateOnly)h["CloseDate"]! > previous && (DateTimeOffset)h["CreatedDate"]! >= windowStart)
            .GroupBy(h => (string)h["OpportunityId"]!)
            .ToDictionary(g => g.Key, g => g.Count());
        var withDecisionMaker = _org.Records["OpportunityContactRole"]
            .Where(r => Settings.DecisionMakerRoles.Contains(r["Role"] as string))
            .Select(r => (string)r["OpportunityId"]!)
            .ToHashSet();
        foreach (var opportunity in _org.Records["Opportunity"])
        {
            if (opportunity["IsClosed"] is true || !_stats.TryGetValue((string)opportunity["OwnerId"]!, out var stats))
                continue;
            var id = (string)opportunity["Id"]!;
            bool[] checks =
            [
                opportunity["NextStep"] is string,
                opportunity["NextStepDate__c"] is DateOnly next && next > Today,
                (DateOnly)opportunity["CloseDate"]! >= Today,
                opportunity["LastActivityDate"] is DateOnly last && Today.DayNumber - last.DayNumber <= Settings.StaleAfterDays,
                withDecisionMaker.Contains(id),
                pushes.GetValueOrDefault(id) <= Settings.MaxCloseDatePushes,
            ];
            stats.OpenOpportunities++;
            stats.HonestyChecksPassed += checks.Count(c => c) / (double)checks.Length;
        }
    }

    [Test]
    public void ReviewSkippersDeclineMostReviewsWhileDiligentRepsAttend()
    {
        static double DeclineRate(IEnumerable<RepStats> reps) =>
            reps.Sum(r => r.ReviewsDeclined) / (double)reps.Sum(r => r.ReviewsHeld);
        Assert.That(DeclineRate(Of(RepPersona.ReviewSkipper)), Is.GreaterThan(0.45));
        Assert.That(DeclineRate(Of(RepPersona.Steady)), Is.InRange(0.03, 0.25));
        Assert.That(DeclineRate(Of(RepPersona.Diligent)), Is.LessThan(0.08));
        // A cancelling manager holds 5 weeks of 12, and a week off may take one of those; a manager who holds
        // none leaves nothing to attend (reps who moved in from another team in the window are left out).
        var reviewed = _org.RepPersonas.Where(p => p.Value == RepPersona.Diligent
            && _org.ManagerPersonas[ManagerOf(p.Key)!] != ManagerPersona.NeverReviews
            && (DateTimeOffset)_users[p.Key]["SystemModstamp"]! < AsOf.AddDays(-7 * 12));
        Assert.That(reviewed.Select(p => _stats[p.Key].ReviewsHeld), Has.All.GreaterThanOrEqualTo(4));
    }

    [Test]
    public void SoloAdminsKeepAllTheirAdminWhileDiligentRepsDelegateMost()
    {
        Assert.That(Of(RepPersona.SoloAdmin).Select(r => r.Delegated), Has.All.EqualTo(0));
        Assert.That(Of(RepPersona.SoloAdmin).Select(r => r.Kept), Has.All.GreaterThan(20));
        var diligent = Of(RepPersona.Diligent).ToList();
        Assert.That(diligent.Sum(r => r.Delegated) / (double)diligent.Sum(r => r.Delegated + r.Kept), Is.GreaterThan(Settings.DelegationTarget));
    }

    [Test]
    public void JunkPipelinesFailTheHonestyChecksThatCleanOnesPass()
    {
        static double Honesty(IEnumerable<RepStats> reps) =>
            reps.Sum(r => r.HonestyChecksPassed) / reps.Sum(r => r.OpenOpportunities);
        var diligent = Honesty(Of(RepPersona.Diligent));
        var steady = Honesty(Of(RepPersona.Steady));
        var junk = Honesty(Of(RepPersona.JunkPipeline));
        Assert.That(diligent, Is.GreaterThan(0.9));
        Assert.That(steady, Is.LessThan(diligent).And.GreaterThan(junk));
        Assert.That(junk, Is.LessThan(0.55));
        Assert.That(Of(RepPersona.JunkPipeline).Average(r => r.OpenOpportunities),
            Is.GreaterThan(Of(RepPersona.Diligent).Average(r => r.OpenOpportunities)), "junk inflates the pipeline");
    }

    [Test]
    public void JunkPipelinesAndSoloAdminsSellLessThanTheTeam()
    {
        var steady = Of(RepPersona.Steady).Average(r => r.Selling);
        Assert.That(Of(RepPersona.Diligent).Average(r => r.Selling), Is.GreaterThan(steady));
        Assert.That(Of(RepPersona.JunkPipeline).Average(r => r.Selling), Is.LessThan(0.75 * steady));
        Assert.That(Of(RepPersona.SoloAdmin).Average(r => r.Selling), Is.LessThan(steady));
    }

    [Test]
    public void NewHiresHaveOneToTwoWeeksOfData()
    {
        foreach (var newHire in Of(RepPersona.NewHire))
        {
            Assert.That(newHire.Selling, Is.GreaterThan(0));
            Assert.That(newHire.FirstActivity, Is.GreaterThanOrEqualTo(Today.AddDays(-14)));
            Assert.That(newHire.ReviewsHeld, Is.LessThanOrEqualTo(3));
        }
    }

    [Test]
    public void DepartedRepsAreInactiveAndLeaveNoTracesAfterLeaving()
    {
        var departed = _org.RepPersonas.Where(p => p.Value == RepPersona.Departed).Select(p => p.Key).ToHashSet();
        Assert.That(departed.Select(id => _users[id]["IsActive"]), Has.All.EqualTo(false));
        foreach (var task in _org.Records["Task"])
        {
            var creator = (string)task["CreatedById"]!;
            if (departed.Contains(creator))
                Assert.That((DateTimeOffset)task["CreatedDate"]!, Is.LessThan((DateTimeOffset)_users[creator]["SystemModstamp"]!), "created before deactivation");
        }
        var reviewsAfterLeaving = _org.Records["EventRelation"].Count(r =>
            departed.Contains((string)r["RelationId"]!) && (DateTimeOffset)r["CreatedDate"]! > (DateTimeOffset)_users[(string)r["RelationId"]!]["SystemModstamp"]!);
        Assert.That(reviewsAfterLeaving, Is.Zero);
    }

    [Test]
    public void CancellingManagersSkipAndDeleteReviewsReliableOnesHoldThemAndSomeHoldNone()
    {
        var relations = _org.Records["EventRelation"].ToLookup(r => (string)r["EventId"]!);
        foreach (var (managerId, persona) in _org.ManagerPersonas)
        {
            // The manager's reviews in the window, owned or (in a series their rep owns) accepted.
            var reviews = _org.Records["Event"].Where(e => IsReview(e) && e["IsRecurrence"] is false
                && (DateTimeOffset)e["StartDateTime"]! >= new DateTimeOffset(WindowStart.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)
                && (DateTimeOffset)e["StartDateTime"]! < AsOf
                && ((string)e["OwnerId"]! == managerId || relations[(string)e["Id"]!].Any(r => (string)r["RelationId"]! == managerId && r["Status"] is not "Declined")))
                .ToList();
            var weeksHeld = reviews.Where(e => e["IsDeleted"] is false)
                .Select(e => ISOWeek.GetWeekOfYear(((DateTimeOffset)e["StartDateTime"]!).UtcDateTime)).Distinct().Count();
            var deleted = reviews.Count(e => e["IsDeleted"] is true);
            switch (persona)
            {
                case ManagerPersona.ReviewCanceller:
                    Assert.That(weeksHeld, Is.LessThanOrEqualTo(8), managerId);
                    Assert.That(deleted, Is.GreaterThan(0), managerId);
                    break;
                case ManagerPersona.NeverReviews:
                    Assert.That(reviews, Is.Empty, managerId);
                    break;
                default:
                    Assert.That(weeksHeld, Is.GreaterThanOrEqualTo(10), managerId);
                    break;
            }
        }
    }

    [Test]
    public void EveryReviewIsBetweenARepAndAManagerOfTheirs()
    {
        var relations = _org.Records["EventRelation"].ToLookup(r => (string)r["EventId"]!);
        var reviews = _org.Records["Event"].Where(IsReview).ToList();
        Assert.That(reviews, Has.Count.GreaterThan(200 * 8));
        var withAnotherManager = new HashSet<string>();
        foreach (var review in reviews)
        {
            var invited = relations[(string)review["Id"]!].ToList();
            Assert.That(invited, Has.Count.EqualTo(1), review["Subject"] as string);
            var (owner, invitee) = ((string)review["OwnerId"]!, (string)invited[0]["RelationId"]!);
            var (rep, manager) = _org.RepPersonas.ContainsKey(owner) ? (owner, invitee) : (invitee, owner);
            Assert.That(_org.RepPersonas, Does.ContainKey(rep));
            Assert.That(_org.ManagerPersonas, Does.ContainKey(manager));
            if (ManagerOf(rep) != manager)
                withAnotherManager.Add(rep);
        }
        // Only the reps who changed manager in the window (one in 25) meet another manager.
        Assert.That(withAnotherManager, Has.Count.InRange(1, 200 / 25));
        Assert.That(withAnotherManager.Select(id => _users[id]["SystemModstamp"]), Has.All.GreaterThan(AsOf.AddDays(-7 * 12)));
        var customerMeetings = _org.Records["Event"].Where(e => e["WhatId"] is not null).ToList();
        Assert.That(customerMeetings, Is.Not.Empty);
        Assert.That(customerMeetings.Where(IsReview), Is.Empty, "a customer meeting never reads as a review");
    }

    [Test]
    public void SellingWorkNeverReadsAsAdmin()
    {
        var selling = _org.Records["Task"].Where(t => t["Type"] is "Call" or "Email" or "Meeting").ToList();
        Assert.That(selling.Where(IsAdmin).Select(t => t["Subject"]).Distinct(), Is.Empty);
    }

    [Test]
    public void LastActivityDateIsTheLatestCompletedActivityOnTheOpportunity()
    {
        var latest = _org.Records["Task"]
            .Where(t => t["IsClosed"] is true && t["IsDeleted"] is false && t["WhatId"] is string what && what.StartsWith("006", StringComparison.Ordinal))
            .GroupBy(t => (string)t["WhatId"]!)
            .ToDictionary(g => g.Key, g => g.Max(t => (DateOnly)t["ActivityDate"]!));
        var checkedOpportunities = 0;
        foreach (var opportunity in _org.Records["Opportunity"])
        {
            var id = (string)opportunity["Id"]!;
            if (opportunity["LastActivityDate"] is DateOnly last && last >= WindowStart)
            {
                Assert.That(latest.GetValueOrDefault(id), Is.EqualTo(last), id);
                checkedOpportunities++;
            }
            else if (latest.TryGetValue(id, out var day))
            {
                Assert.Fail($"{id} has activity on {day} but LastActivityDate {opportunity["LastActivityDate"]}");
            }
        }
        Assert.That(checkedOpportunities, Is.GreaterThan(1_000));
    }
}
