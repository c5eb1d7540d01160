using BenchmarkDotNet.Attributes;
using LeadRouter.Org;
using LeadRouter.Trust;

namespace LeadRouter.Benchmarks;

/// <summary>
/// Scores a synthetic org of 2,000 reps and 1,000,000 activities (tasks + events) on one core.
/// Target: well under a second per score. Run:
/// dotnet run -c Release --project tests/LeadRouter.Benchmarks -- --filter *Trust* --job short
/// (add --inProcess on a loaded machine, where BenchmarkDotNet's two-minute build timeout can expire).
/// </summary>
[MemoryDiagnoser]
public class TrustScoringBenchmarks
{
    private static readonly DateTimeOffset AsOf = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    private OrgSnapshot org = OrgSnapshot.Empty;
    private TrustScorer scorer = null!;

    /// <summary>UTC, and a zone with daylight saving (local days then come from a per-run table).</summary>
    [Params("UTC", "Europe/Paris")]
    public string TimeZone { get; set; } = "UTC";

    [GlobalSetup]
    public void Setup()
    {
        org = SyntheticOrg.Build(reps: 2_000, repsPerManager: 10, tasks: 600_000, events: 400_000, seed: 20261126);
        scorer = new TrustScorer(new TrustSettings { TimeZone = TimeZone });
    }

    [Benchmark]
    public TrustReport Score() => scorer.Score(org, AsOf);

    /// <summary>
    /// A deterministic org shaped like a real one: weekly one-on-ones (some declined, some skipped by the
    /// manager), templated subjects, calls and emails, admin work kept or delegated, open deals with
    /// tasks, meetings, contact roles and close-date history, 13 weeks of dates plus some future ones.
    /// </summary>
    private static class SyntheticOrg
    {
        private static readonly string[] SellingTypes = ["Call", "Email", "Meeting"];
        private static readonly string[] TaskSubjects =
            ["Call", "Follow-up call", "Send pricing", "Email: recap", "Intro email", "Discovery call", "Check in", "Left voicemail"];
        private static readonly string[] AdminSubjects = ["Expense report", "Update CRM update", "Order form", "Invoice question", "Service issue escalation"];
        private static readonly string[] Roles = ["Decision Maker", "Economic Buyer", "Technical Buyer", "Influencer", "User"];

        public static OrgSnapshot Build(int reps, int repsPerManager, int tasks, int events, int seed)
        {
            var random = new Random(seed);
            long sequence = 0;
            var managers = (reps + repsPerManager - 1) / repsPerManager;
            var users = new List<User>(reps + managers);
            var managerIds = new string[managers];
            for (var m = 0; m < managers; m++)
            {
                managerIds[m] = SalesforceId.Create(IdPrefix.User, ++sequence);
                users.Add(new User(managerIds[m], $"Manager {m}", $"manager{m}@example.com", null, true, null, null, "US", "UTC"));
            }
            var repIds = new string[reps];
            var repManager = new string[reps];
            for (var r = 0; r < reps; r++)
            {
                repIds[r] = SalesforceId.Create(IdPrefix.User, ++sequence);
                repManager[r] = managerIds[r / repsPerManager];
                users.Add(new User(repIds[r], $"Rep {r}", $"rep{r}@example.com", null, true, repManager[r], null, "US", "UTC"));
            }

            var companies = new string[200];
            for (var c = 0; c < companies.Length; c++)
                companies[c] = $"Company {c}";

            // Open and closed opportunities, with contact roles and close-date history.
            var opportunities = new List<Opportunity>(reps * 25);
            var roles = new List<OpportunityContactRole>(reps * 40);
            var history = new List<OpportunityHistory>(reps * 30);
            var opportunitiesOfRep = new string[reps][];
            var today = DateOnly.FromDateTime(AsOf.UtcDateTime);
            for (var r = 0; r < reps; r++)
            {
                opportunitiesOfRep[r] = new string[20];
                for (var o = 0; o < 25; o++)
                {
                    var id = SalesforceId.Create("006", ++sequence);
                    var open = o < 20;
                    if (open)
                        opportunitiesOfRep[r][o] = id;
                    opportunities.Add(new Opportunity(id, repIds[r], open ? "Qualification" : "Closed Won", !open,
                        today.AddDays(random.Next(-20, 90)), random.Next(4) == 0 ? null : "Demo next week",
                        today.AddDays(-random.Next(0, 40)), random.Next(5_000, 200_000)));
                    for (var c = random.Next(0, 3); c > 0; c--)
                        roles.Add(new OpportunityContactRole(id, SalesforceId.Create("003", ++sequence), Roles[random.Next(Roles.Length)]));
                    for (var h = random.Next(0, 4); h > 0; h--)
                    {
                        var previous = today.AddDays(random.Next(-30, 30));
                        history.Add(new OpportunityHistory(id, previous.AddDays(random.Next(-10, 30)), previous,
                            AsOf.AddHours(-random.Next(0, 24 * 7 * 13))));
                    }
                }
            }

            var taskRows = new List<ActivityTask>(tasks);
            for (var i = 0; i < tasks; i++)
            {
                var r = random.Next(reps);
                var created = AsOf.AddMinutes(-random.Next(0, 60 * 24 * 7 * 13));
                var kind = random.Next(100);
                var closed = random.Next(10) < 8;
                var completed = closed ? created.AddHours(random.Next(0, 24 * 6)) : (DateTimeOffset?)null;
                if (completed > AsOf)
                    completed = AsOf;
                string subject, owner = repIds[r];
                string? type, subtype = null;
                if (kind < 8)
                {
                    // Admin: kept by the rep or delegated to the manager.
                    subject = AdminSubjects[random.Next(AdminSubjects.Length)];
                    type = random.Next(2) == 0 ? "Admin" : null;
                    if (random.Next(2) == 0)
                        owner = repManager[r];
                }
                else
                {
                    subject = kind < 60 ? TaskSubjects[random.Next(TaskSubjects.Length)] : $"{TaskSubjects[random.Next(TaskSubjects.Length)]} - {companies[random.Next(companies.Length)]}";
                    type = SellingTypes[random.Next(SellingTypes.Length)];
                    subtype = type == "Email" ? "Email" : "Task";
                }
                var whatId = random.Next(3) == 0 ? opportunitiesOfRep[r][random.Next(20)] : null;
                taskRows.Add(new ActivityTask(SalesforceId.Create("00T", ++sequence), subject, type, subtype,
                    closed ? "Completed" : "Open", closed, owner, repIds[r], whatId, null,
                    DateOnly.FromDateTime(created.UtcDateTime).AddDays(random.Next(0, 10)), completed, created));
            }

            // Weekly one-on-ones first (13 weeks, some skipped by the manager, some declined), then other meetings.
            var eventRows = new List<CalendarEvent>(events);
            var relations = new List<EventRelation>(events / 2);
            for (var week = 0; week < 13 && eventRows.Count < events; week++)
            {
                for (var r = 0; r < reps && eventRows.Count < events; r++)
                {
                    if (random.Next(10) == 0)
                        continue;
                    var id = SalesforceId.Create("00U", ++sequence);
                    var start = AsOf.AddDays(-7 * week - random.Next(0, 7)).AddMinutes(random.Next(-600, 600));
                    eventRows.Add(new CalendarEvent(id, $"1:1 {r}", null, start, start.AddMinutes(30), 30, false, repManager[r], null,
                        random.Next(50) == 0));
                    relations.Add(new EventRelation(id, repIds[r], random.Next(8) == 0 ? "Declined" : "Accepted", true));
                }
            }
            while (eventRows.Count < events)
            {
                var r = random.Next(reps);
                var id = SalesforceId.Create("00U", ++sequence);
                var start = AsOf.AddMinutes(-random.Next(-60 * 24 * 14, 60 * 24 * 7 * 13));
                var whatId = random.Next(3) == 0 ? opportunitiesOfRep[r][random.Next(20)] : null;
                eventRows.Add(new CalendarEvent(id, $"Meeting with {companies[random.Next(companies.Length)]}", "Meeting", start,
                    start.AddMinutes(60), 60, random.Next(40) == 0, repIds[r], whatId, false));
                relations.Add(new EventRelation(id, SalesforceId.Create("003", ++sequence), "Accepted", true));
            }

            return new OrgSnapshot(users, [], eventRows, relations, opportunities, roles, history, taskRows, []);
        }
    }
}
