using LeadRouter.Org;

namespace LeadRouter.Tests.Trust;

/// <summary>
/// Fluent builder of small orgs for trust tests. People are named ("ann", "boss"); ids are minted on
/// first mention, so a ManagerId may name someone added later. Times are relative to <see cref="AsOf"/>
/// in UTC weeks: week 0 is the as-of week, week 1 the one before.
/// </summary>
internal sealed class TestOrg
{
    /// <summary>Thursday 26 November 2026, noon UTC: ISO week 2026-W48.</summary>
    public static readonly DateTimeOffset DefaultAsOf = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    private readonly Dictionary<string, string> ids = [];
    private readonly Dictionary<string, string?> managers = [];
    private readonly List<User> users = [];
    private readonly List<CalendarEvent> events = [];
    private readonly List<EventRelation> relations = [];
    private readonly List<Opportunity> opportunities = [];
    private readonly List<OpportunityContactRole> contactRoles = [];
    private readonly List<OpportunityHistory> history = [];
    private readonly List<ActivityTask> tasks = [];
    private long sequence;

    public TestOrg(DateTimeOffset? asOf = null) => AsOf = asOf ?? DefaultAsOf;

    public DateTimeOffset AsOf { get; }

    public DateOnly Today => DateOnly.FromDateTime(AsOf.UtcDateTime);

    /// <summary>The user id of a person, minted on first mention.</summary>
    public string Id(string name)
    {
        if (!ids.TryGetValue(name, out var id))
            ids[name] = id = SalesforceId.Create(IdPrefix.User, ++sequence);
        return id;
    }

    public TestOrg User(string name, string? manager, bool active = true)
    {
        managers[name] = manager;
        users.Add(new User(Id(name), name, name + "@example.com", name + "@example.com", active,
            manager is null ? null : Id(manager), null, "US", "America/New_York"));
        return this;
    }

    public TestOrg Manager(string name) => User(name, null);

    public TestOrg Rep(string name, string manager) => User(name, manager);

    /// <summary>Several reps under one manager (the team must reach MinTeamSize to have its own prior).</summary>
    public TestOrg Team(string manager, params string[] reps)
    {
        Manager(manager);
        foreach (var rep in reps)
            Rep(rep, manager);
        return this;
    }

    /// <summary>Tuesday 10:00 UTC of the given week (before the as-of Thursday even in week 0).</summary>
    public DateTimeOffset InWeek(int weeksAgo, int dayOfWeek = 1, int hour = 10)
    {
        var monday = AsOf.UtcDateTime.Date.AddDays(-(((int)AsOf.UtcDateTime.DayOfWeek + 6) % 7));
        return new DateTimeOffset(monday.AddDays(dayOfWeek - 7 * weeksAgo).AddHours(hour), TimeSpan.Zero);
    }

    /// <summary>A one-on-one owned by the rep's manager with the rep invited.</summary>
    public TestOrg Review(string rep, int weeksAgo, string status = "Accepted", bool allDay = false, bool deleted = false,
        string subject = "1:1 pipeline review", string? type = null) =>
        Meeting(managers[rep]!, InWeek(weeksAgo), subject, type, allDay, deleted, (rep, status));

    /// <summary>A review the rep attended in each of the given weeks.</summary>
    public TestOrg Reviews(string rep, params int[] weeksAgo)
    {
        foreach (var week in weeksAgo)
            Review(rep, week);
        return this;
    }

    public TestOrg Meeting(string owner, DateTimeOffset start, string subject, string? type = null, bool allDay = false,
        bool deleted = false, params (string Person, string Status)[] invitees) =>
        Meeting(owner, start, subject, type, allDay, deleted, whatId: null, invitees);

    public TestOrg Meeting(string owner, DateTimeOffset start, string subject, string? type, bool allDay, bool deleted,
        string? whatId, params (string Person, string Status)[] invitees)
    {
        var id = SalesforceId.Create("00U", ++sequence);
        events.Add(new CalendarEvent(id, subject, type, start, start.AddMinutes(30), 30, allDay, Id(owner), whatId, deleted));
        foreach (var (person, status) in invitees)
            relations.Add(new EventRelation(id, Id(person), status, true));
        return this;
    }

    /// <summary>An event as given, with its EventRelation rows (shapes the helpers above do not cover).</summary>
    public TestOrg Event(CalendarEvent calendarEvent, params EventRelation[] eventRelations)
    {
        events.Add(calendarEvent);
        relations.AddRange(eventRelations);
        return this;
    }

    public string NewId(string prefix) => SalesforceId.Create(prefix, ++sequence);

    /// <summary>A one-on-one the rep owns, with their manager invited (and answering <paramref name="managerStatus"/>).</summary>
    public TestOrg RepOwnedReview(string rep, int weeksAgo, string managerStatus = "Accepted") =>
        Meeting(rep, InWeek(weeksAgo), "1:1 pipeline review", null, false, false, (managers[rep]!, managerStatus));

    /// <summary>A meeting the rep owns in a week, with a customer (WhatId / WhoId) or without (internal).</summary>
    public TestOrg RepMeeting(string rep, int weeksAgo, string? whatId = null, string? whoId = null, string subject = "Meeting")
    {
        var start = InWeek(weeksAgo, hour: 14);
        events.Add(new CalendarEvent(NewId("00U"), subject, "Meeting", start, start.AddMinutes(30), 30, false, Id(rep), whatId, false, whoId));
        return this;
    }

    /// <summary>An all-day out-of-office event from Monday of the week for the given days, as Salesforce stores it (midnight GMT).</summary>
    public TestOrg OutOfOffice(string rep, int weeksAgo, int days = 5)
    {
        var monday = InWeek(weeksAgo, dayOfWeek: 0, hour: 0);
        events.Add(new CalendarEvent(NewId("00U"), "Vacation", null, monday, monday.AddDays(days), days * 24 * 60, true, Id(rep), null, false,
            ShowAs: "OutOfOffice"));
        return this;
    }

    /// <summary>Completed calls (or another selling type) owned by the rep in a week.</summary>
    public TestOrg Calls(string rep, int weeksAgo, int count, string type = "Call")
    {
        for (var i = 0; i < count; i++)
            AddTask(rep, rep, "Call back", type, InWeek(weeksAgo), completed: InWeek(weeksAgo).AddHours(1));
        return this;
    }

    /// <summary>The same number of calls in each of the given weeks.</summary>
    public TestOrg CallsEachWeek(string rep, int count, int weeks)
    {
        for (var week = 0; week < weeks; week++)
            Calls(rep, week, count);
        return this;
    }

    /// <summary>An admin task the rep created for their manager, completed after the given days (null: open).</summary>
    public TestOrg Delegated(string rep, DateTimeOffset created, double? completedAfterDays = 1, string subject = "Paperwork for renewal")
    {
        AddTask(managers[rep]!, rep, subject, "Admin", created, completedAfterDays is { } days ? created.AddDays(days) : null);
        return this;
    }

    /// <summary>An admin task the rep created, kept and completed.</summary>
    public TestOrg Kept(string rep, int weeksAgo, string subject = "Expense report")
    {
        AddTask(rep, rep, subject, null, InWeek(weeksAgo), InWeek(weeksAgo).AddHours(2));
        return this;
    }

    public TestOrg Task(string owner, string creator, string subject, string? type, DateTimeOffset created,
        DateTimeOffset? completed = null, string? whatId = null, DateOnly? due = null)
    {
        AddTask(owner, creator, subject, type, created, completed, whatId, due);
        return this;
    }

    /// <summary>
    /// An open opportunity, clean by default: next step written, an open task due in a week, close date
    /// in a month, activity two days ago, a decision maker. The configure callback makes it dirty.
    /// </summary>
    public TestOrg Opportunity(string rep, string name, Action<OpportunityShape>? configure = null, decimal amount = 10_000)
    {
        var shape = new OpportunityShape();
        configure?.Invoke(shape);
        var id = OpportunityId(name);
        opportunities.Add(new Opportunity(id, Id(rep), "Qualification", shape.Closed,
            shape.CloseDateMissing ? null : Today.AddDays(shape.CloseInDays),
            shape.NextStep, shape.IdleDays is { } idle ? Today.AddDays(-idle) : null, amount,
            shape.NextStepDateInDays is { } inDays ? Today.AddDays(inDays) : null));
        if (shape.OpenTaskInDays is { } due)
            AddTask(rep, rep, "Send proposal", "Email", AsOf.AddDays(-30), null, id, Today.AddDays(due));
        if (shape.DecisionMaker)
            contactRoles.Add(new OpportunityContactRole(id, SalesforceId.Create("003", ++sequence), "Economic Buyer"));
        for (var i = 0; i < shape.Pushes; i++)
            history.Add(new OpportunityHistory(id, Today.AddDays(30 + i), Today.AddDays(i), AsOf.AddDays(-7 * (i + 1))));
        return this;
    }

    /// <summary>Several clean opportunities.</summary>
    public TestOrg CleanOpportunities(string rep, int count)
    {
        for (var i = 0; i < count; i++)
            Opportunity(rep, $"{rep}-clean-{i}");
        return this;
    }

    /// <summary>Several opportunities failing every check.</summary>
    public TestOrg JunkOpportunities(string rep, int count)
    {
        for (var i = 0; i < count; i++)
            Opportunity(rep, $"{rep}-junk-{i}", o => o.Junk());
        return this;
    }

    public string OpportunityId(string name)
    {
        if (!ids.TryGetValue("opportunity:" + name, out var id))
            ids["opportunity:" + name] = id = SalesforceId.Create("006", ++sequence);
        return id;
    }

    public OrgSnapshot Build() => new(users.ToArray(), [], events.ToArray(), relations.ToArray(), opportunities.ToArray(),
        contactRoles.ToArray(), history.ToArray(), tasks.ToArray(), []);

    private void AddTask(string owner, string creator, string subject, string? type, DateTimeOffset created,
        DateTimeOffset? completed, string? whatId = null, DateOnly? due = null) =>
        tasks.Add(new ActivityTask(SalesforceId.Create("00T", ++sequence), subject, type, null,
            completed is null ? "Open" : "Completed", completed is not null, Id(owner), Id(creator), whatId, null,
            due ?? DateOnly.FromDateTime(created.UtcDateTime), completed, created));

    public sealed class OpportunityShape
    {
        public string? NextStep { get; private set; } = "Demo with the CFO";
        public int? OpenTaskInDays { get; private set; } = 7;
        public int? NextStepDateInDays { get; private set; }
        public int CloseInDays { get; private set; } = 30;
        public bool CloseDateMissing { get; private set; }
        public int? IdleDays { get; private set; } = 2;
        public bool DecisionMaker { get; private set; } = true;
        public int Pushes { get; private set; }
        public bool Closed { get; private set; }

        public OpportunityShape WithoutNextStep() { NextStep = null; return this; }
        public OpportunityShape WithoutNextStepDate() { OpenTaskInDays = null; return this; }
        public OpportunityShape NextStepTaskDueIn(int days) { OpenTaskInDays = days; return this; }
        public OpportunityShape NextStepDateIn(int days) { NextStepDateInDays = days; return this; }
        public OpportunityShape CloseIn(int days) { CloseInDays = days; return this; }
        public OpportunityShape Idle(int? days) { IdleDays = days; return this; }
        public OpportunityShape WithoutDecisionMaker() { DecisionMaker = false; return this; }
        public OpportunityShape PushedTimes(int times) { Pushes = times; return this; }
        public OpportunityShape ClosedDeal() { Closed = true; return this; }

        /// <summary>Fails every check that applies (five: without a next step, the next-step date check does not apply).</summary>
        public OpportunityShape Junk() =>
            WithoutNextStep().WithoutNextStepDate().CloseIn(-20).Idle(60).WithoutDecisionMaker().PushedTimes(3);
    }
}
