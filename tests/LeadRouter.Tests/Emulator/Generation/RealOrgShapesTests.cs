using System.Text.RegularExpressions;
using LeadRouter.SalesforceEmulator.Generation;
using LeadRouter.Trust;

namespace LeadRouter.Tests.Emulator.Generation;

/// <summary>The generator makes the shapes real orgs hold, by default, and the trust score reads each one right.</summary>
public class RealOrgShapesTests
{
    private static readonly DateTimeOffset AsOf = new(2026, 11, 26, 15, 30, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset WindowStart = new(2026, 9, 7, 0, 0, 0, TimeSpan.Zero);
    private static readonly TrustSettings Settings = new();
    private static readonly Regex ReviewSubject = new(Settings.ReviewSubjectPattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    private GeneratedOrg _org = null!;
    private IReadOnlyList<IReadOnlyDictionary<string, object?>> _events = null!;
    private ILookup<string, IReadOnlyDictionary<string, object?>> _relations = null!;
    private Dictionary<string, IReadOnlyDictionary<string, object?>> _users = null!;
    private TrustReport _report = null!;

    [OneTimeSetUp]
    public void GenerateAndScore()
    {
        _org = OrgGenerator.Generate(OrgSize.Medium, 42, AsOf);
        _events = _org.Records["Event"];
        _relations = _org.Records["EventRelation"].ToLookup(r => (string)r["EventId"]!);
        _users = _org.Records["User"].ToDictionary(u => (string)u["Id"]!);
        _report = new TrustScorer(Settings).Score(GeneratedSnapshot.Of(_org), AsOf);
    }

    private static DateTimeOffset Moment(IReadOnlyDictionary<string, object?> row, string field) => (DateTimeOffset)row[field]!;

    private static bool IsReview(IReadOnlyDictionary<string, object?> e) =>
        e["IsAllDayEvent"] is false && (Settings.ReviewTypes.Contains(e["Type"] as string) || ReviewSubject.IsMatch(e["Subject"] as string ?? ""));

    private RepTrust Scored(string repId) => _report.Reps.Single(r => r.RepId == repId);

    [Test]
    public void WeeklyReviewsAreMostlyRecurringSeriesSetUpMonthsBeforeWithTheirInvitations()
    {
        var masters = _events.Where(e => e["IsRecurrence"] is true).ToDictionary(e => (string)e["Id"]!);
        Assert.That(masters.Values, Has.All.Matches<IReadOnlyDictionary<string, object?>>(m =>
            m["RecurrenceType"] is "RecursWeekly" && m["RecurrenceInterval"] is 1 && m["RecurrenceDayOfWeekMask"] is 4 or 8 or 16
            && m["RecurrenceStartDateTime"] is DateTimeOffset && m["RecurrenceEndDateOnly"] is DateOnly && m["RecurrenceTimeZoneSidKey"] is string));

        var inWindow = _events.Where(e => IsReview(e) && e["IsRecurrence"] is false && Moment(e, "StartDateTime") >= WindowStart
            && Moment(e, "StartDateTime") < AsOf).ToList();
        var occurrences = inWindow.Where(e => e["RecurrenceActivityId"] is string).ToList();
        Assert.That(occurrences.Count, Is.GreaterThan(inWindow.Count * 6 / 10));
        Assert.That(occurrences.Select(e => (string)e["RecurrenceActivityId"]!), Has.All.Matches<string>(masters.ContainsKey));
        var oldSeries = occurrences.Where(e => Moment(e, "CreatedDate") < AsOf.AddDays(-80)).ToList();
        Assert.That(oldSeries.Count, Is.GreaterThan(occurrences.Count / 2), "most series were set up months before");
        foreach (var occurrence in oldSeries.Where(e => e["IsDeleted"] is false))
        {
            var master = masters[(string)occurrence["RecurrenceActivityId"]!];
            Assert.That(occurrence["CreatedDate"], Is.EqualTo(master["CreatedDate"]));
            Assert.That(_relations[(string)occurrence["Id"]!].Select(r => r["CreatedDate"]), Has.All.EqualTo(master["CreatedDate"]));
        }
        // Accepted invitations of old series were last modified when the series was set up: old, yet they count.
        var untouched = oldSeries.SelectMany(e => _relations[(string)e["Id"]!]).Count(r => r["Status"] is "Accepted" && Moment(r, "SystemModstamp") < WindowStart);
        Assert.That(untouched, Is.GreaterThan(oldSeries.Count / 2));
    }

    [Test]
    public void SeriesReviewsAreCountedAndTheirMastersAreNot()
    {
        var seriesReps = _events.Where(e => e["IsRecurrence"] is true && Moment(e, "CreatedDate") < AsOf.AddDays(-80))
            .SelectMany(e => _relations[(string)e["Id"]!].Select(r => (string)r["RelationId"]!).Append((string)e["OwnerId"]!))
            .Where(_org.RepPersonas.ContainsKey).Distinct().Where(id => _users[id]["IsActive"] is true).ToList();
        Assert.That(seriesReps, Has.Count.GreaterThan(100));
        var reviewed = seriesReps.Select(Scored).Select(r => r.Components[(int)TrustComponentKind.ReviewAttendance]).ToList();
        Assert.That(reviewed.Count(c => c.OutOf >= 5), Is.GreaterThan(seriesReps.Count * 8 / 10));
        Assert.That(reviewed.Select(c => c.OutOf), Has.All.LessThanOrEqualTo(12), "one review a week: masters never count");
    }

    [Test]
    public void SomeRepsOwnTheirSeriesWithTheManagerInvited()
    {
        var repOwned = _events.Where(e => IsReview(e) && _org.RepPersonas.ContainsKey((string)e["OwnerId"]!)).ToList();
        Assert.That(repOwned, Has.Count.GreaterThan(100));
        foreach (var review in repOwned.Take(200))
        {
            var invitee = (string)_relations[(string)review["Id"]!].Single()["RelationId"]!;
            Assert.That(_org.ManagerPersonas, Does.ContainKey(invitee));
        }
        var owner = (string)repOwned.First(e => e["IsDeleted"] is false && Moment(e, "StartDateTime") < AsOf)["OwnerId"]!;
        Assert.That(Scored(owner).Components[(int)TrustComponentKind.ReviewAttendance].OutOf, Is.GreaterThan(0));
    }

    [Test]
    public void CustomerMeetingsRelateTheirContactAsSharedActivitiesDoAndIgnoringThemLeavesAttendanceAlone()
    {
        var contactRows = _org.Records["EventRelation"].Where(r => ((string)r["RelationId"]!).StartsWith("003", StringComparison.Ordinal)).ToList();
        Assert.That(contactRows, Has.Count.GreaterThan(1000));
        Assert.That(contactRows, Has.All.Matches<IReadOnlyDictionary<string, object?>>(r => r["IsParent"] is true && r["IsWhat"] is false));
        Assert.That(contactRows.Count(r => r["IsInvitee"] is false), Is.InRange(contactRows.Count / 2, contactRows.Count * 9 / 10));
        var meetingIds = contactRows.Select(r => (string)r["EventId"]!).ToHashSet();
        Assert.That(_events.Where(e => meetingIds.Contains((string)e["Id"]!)), Has.All.Matches<IReadOnlyDictionary<string, object?>>(e => !IsReview(e)));
    }

    [Test]
    public void InternalMeetingsCarryNoCustomerAndAreNotSelling()
    {
        var internalMeetings = _events.Where(e => e["WhatId"] is null && e["WhoId"] is null && e["IsAllDayEvent"] is false && !IsReview(e)
            && _org.RepPersonas.ContainsKey((string)e["OwnerId"]!)).ToList();
        Assert.That(internalMeetings, Has.Count.GreaterThan(200 * 12 / 2));
        var rep = (string)internalMeetings.First(e => _users[(string)e["OwnerId"]!]["IsActive"] is true)["OwnerId"]!;
        var pastCustomerMeetings = _events.Count(e => (string)e["OwnerId"]! == rep && e["IsDeleted"] is false && (e["WhatId"] is not null || e["WhoId"] is not null)
            && Moment(e, "StartDateTime") >= WindowStart && Moment(e, "StartDateTime") <= AsOf);
        var sellingTasks = _org.Records["Task"].Count(t => (string)t["OwnerId"]! == rep && t["IsDeleted"] is false && t["IsClosed"] is true
            && (Settings.SellingActivityTypes.Contains(t["Type"] as string) || Settings.SellingActivityTypes.Contains(t["TaskSubtype"] as string))
            && Moment(t, "CompletedDateTime") >= WindowStart);
        Assert.That(Scored(rep).Components[(int)TrustComponentKind.SellingActivity].Evidence,
            Does.StartWith($"logged {sellingTasks + pastCustomerMeetings} selling activities"));
    }

    [Test]
    public void WeeksOffAreAllDayOutOfOfficeEventsWithNoWorkAndNoSellingObservation()
    {
        var weeksOff = _events.Where(e => e["ShowAs"] is "OutOfOffice").ToList();
        Assert.That(weeksOff, Has.Count.InRange(10, 200 / 8));
        var tasks = _org.Records["Task"].ToLookup(t => (string)t["OwnerId"]!);
        foreach (var off in weeksOff)
        {
            Assert.That(off["IsAllDayEvent"], Is.True);
            Assert.That(off["DurationInMinutes"], Is.EqualTo(5 * 24 * 60));
            var (from, to) = (Moment(off, "StartDateTime"), Moment(off, "EndDateTime"));
            var rep = (string)off["OwnerId"]!;
            Assert.That(tasks[rep].Where(t => t["CompletedDateTime"] is DateTimeOffset done && done >= from && done < to), Is.Empty);
            // Twelve weeks of data, one of them off: at most eleven selling observations.
            Assert.That(Scored(rep).Components[(int)TrustComponentKind.SellingActivity].OutOf, Is.LessThanOrEqualTo(11));
        }
    }

    [Test]
    public void RepsWhoChangedManagerAreReviewedByTheirFormerManagerBeforeAndThoseReviewsCount()
    {
        var managers = _org.ManagerPersonas;
        var movers = _org.RepPersonas.Keys.Where(id => _org.RepPersonas[id] != RepPersona.NewHire && _users[id]["IsActive"] is true
            && Moment(_users[id], "LastModifiedDate") > WindowStart).ToList();
        Assert.That(movers, Has.Count.InRange(1, 200 / 25));
        var counted = 0;
        foreach (var mover in movers)
        {
            var movedOn = new DateTimeOffset(Moment(_users[mover], "LastModifiedDate").UtcDateTime.Date, TimeSpan.Zero);
            var held = _events.Where(e => IsReview(e) && e["IsDeleted"] is false && e["IsRecurrence"] is false
                && Moment(e, "StartDateTime") >= WindowStart && Moment(e, "StartDateTime") < AsOf
                && ((string)e["OwnerId"]! == mover || _relations[(string)e["Id"]!].Any(r => (string)r["RelationId"]! == mover))).ToList();
            string Counterpart(IReadOnlyDictionary<string, object?> e) =>
                (string)e["OwnerId"]! == mover ? (string)_relations[(string)e["Id"]!].Single()["RelationId"]! : (string)e["OwnerId"]!;
            var before = held.Where(e => Moment(e, "StartDateTime") < movedOn).ToList();
            Assert.That(before.Select(Counterpart), Has.None.EqualTo(_users[mover]["ManagerId"]), "before the move the reviews were with the former manager");
            Assert.That(before.Select(Counterpart), Has.All.Matches<string>(managers.ContainsKey));
            if (before.Count == 0)
                continue;
            // The score reads the reviews after the move and those before it, with the former manager.
            var after = held.Count(e => Moment(e, "StartDateTime") >= movedOn);
            Assert.That(Scored(mover).Components[(int)TrustComponentKind.ReviewAttendance].OutOf, Is.GreaterThan(after), mover);
            counted++;
        }
        Assert.That(counted, Is.GreaterThan(0));
        var delegatedToFormer = _org.Records["Task"].Count(t => movers.Contains((string)t["CreatedById"]!) && managers.ContainsKey((string)t["OwnerId"]!)
            && (string)t["OwnerId"]! != (string?)_users[(string)t["CreatedById"]!]["ManagerId"]);
        Assert.That(delegatedToFormer, Is.GreaterThan(0), "admin handed to the former manager before the move");
    }

    [Test]
    public void AManagerWhoHoldsNoReviewsCostsTheirRepsNoConfidence()
    {
        var absent = _org.ManagerPersonas.Where(p => p.Value == ManagerPersona.NeverReviews).Select(p => p.Key).ToList();
        Assert.That(absent, Is.Not.Empty);
        var reps = _report.Reps.Where(r => absent.Contains(r.ManagerId) && r.WeeksOfData == 12).ToList();
        Assert.That(reps, Is.Not.Empty);
        foreach (var rep in reps)
        {
            var reviews = rep.Components[(int)TrustComponentKind.ReviewAttendance];
            if (reviews.OutOf > 0)
                continue; // moved in from another team: reviewed before the move
            Assert.That(reviews.Value, Is.EqualTo(reviews.TeamPrior));
            Assert.That(rep.Confidence, Is.GreaterThanOrEqualTo(0.5), rep.Name);
        }
    }
}
