using LeadRouter.Org;
using LeadRouter.Salesforce;

namespace LeadRouter.Sync;

/// <summary>
/// One Salesforce object the sync copies: the fields it selects, which rows matter, and how a row of
/// the query result becomes an <see cref="Org"/> record.
/// </summary>
/// <param name="Relevant">
/// Which rows matter, given the start of the history window. Null: the whole object. A function that
/// returns null: rows changed within the window. A condition: those, plus rows meeting it (open
/// opportunities however old). The filter does not depend on the watermark, so a first pull and one
/// resumed after a crash read exactly the same rows.
/// </param>
/// <param name="Always">A condition every row read meets (queues only; no series masters).</param>
internal sealed record SyncedObject<T>(
    string Name,
    IReadOnlyList<string> Fields,
    Func<DateTimeOffset, SoqlCondition?>? Relevant,
    Func<SalesforceRow, T> Map,
    SoqlCondition? Always = null)
    where T : class
{
    /// <summary>
    /// The lookup (relationship name, same as the parent object's name) whose target decides whether a row
    /// matters, as an invitation matters when its event does. A change to the parent does not stamp the
    /// child, so an incremental pull also reads the children of parents changed since the last such read
    /// (<see cref="ParentChangesQuery"/>).
    /// </summary>
    public string? Parent { get; init; }

    /// <summary>
    /// The relevant rows changed since <paramref name="from"/> (all of them when null), in watermark order, or
    /// in no order for a Bulk query job (ORDER BY slows a job down and Bulk does not promise it anyway).
    /// </summary>
    public SoqlQuery Query(DateTimeOffset? from, DateTimeOffset historyStart, bool ordered = true)
    {
        var builder = Relevance(historyStart);
        if (from is { } start)
            builder.Where(Soql.Field("SystemModstamp").AtLeast(start));
        return ordered ? builder.OrderBy("SystemModstamp").OrderBy("Id").Build() : builder.Build();
    }

    /// <summary>
    /// The relevant rows whose <see cref="Parent"/> changed since <paramref name="parentFrom"/> (all of them when
    /// null), whatever their own stamp. A relationship filter: Salesforce refuses Event and Task in semi-join
    /// subqueries, so "EventId IN (SELECT Id FROM Event ...)" is not an option.
    /// </summary>
    public SoqlQuery ParentChangesQuery(DateTimeOffset? parentFrom, DateTimeOffset historyStart, bool ordered = true)
    {
        var parent = Parent ?? throw new InvalidOperationException($"{Name} has no parent to follow.");
        var builder = Relevance(historyStart);
        if (parentFrom is { } start)
            builder.Where(Soql.Field(parent + ".SystemModstamp").AtLeast(start));
        return ordered ? builder.OrderBy("Id").Build() : builder.Build();
    }

    private SoqlBuilder Relevance(DateTimeOffset historyStart)
    {
        var builder = Soql.Select(["Id", "IsDeleted", "SystemModstamp", .. Fields]).From(Name);
        if (Always is not null)
            builder.Where(Always);
        if (Relevant is not null)
        {
            var inWindow = Soql.Field("SystemModstamp").AtLeast(historyStart);
            builder.Where(Relevant(historyStart) is { } relevant ? Soql.Or(inWindow, relevant) : inWindow);
        }
        return builder;
    }
}

/// <summary>The objects LeadRouter reads (see the domain design's "Data read from Salesforce").</summary>
internal static class SyncedObjects
{
    public static readonly SyncedObject<User> Users = new(
        "User",
        ["Name", "Username", "Email", "IsActive", "ManagerId", "UserRoleId", "Country", "TimeZoneSidKey"],
        Relevant: null,
        r => new User(r.Id, r.Text("Name") ?? "", r.Text("Username") ?? "", r.Text("Email"), r.Bool("IsActive"),
            r.IdOrNull("ManagerId"), r.IdOrNull("UserRoleId"), r.Text("Country"), r.Text("TimeZoneSidKey")));

    public static readonly SyncedObject<Queue> Queues = new(
        "Group",
        ["DeveloperName", "Name"],
        Relevant: null,
        r => new Queue(r.Id, r.Text("DeveloperName") ?? "", r.Text("Name") ?? ""),
        Always: Soql.Field("Type").EqualTo("Queue"));

    public static readonly SyncedObject<CalendarEvent> Events = new(
        "Event",
        ["Subject", "Type", "StartDateTime", "EndDateTime", "DurationInMinutes", "IsAllDayEvent", "OwnerId", "WhatId", "WhoId",
            "ShowAs"],
        historyStart => Soql.Field("StartDateTime").AtLeast(historyStart),
        r => new CalendarEvent(r.Id, r.Text("Subject"), r.Text("Type"), r.RequiredDateTime("StartDateTime"),
            r.DateTime("EndDateTime"), r.Int("DurationInMinutes"), r.Bool("IsAllDayEvent"), r.RequiredId("OwnerId"),
            r.IdOrNull("WhatId"), r.Bool("IsDeleted"), r.IdOrNull("WhoId"), ShowAs: r.Text("ShowAs")),
        // A recurring series' master (IsRecurrence) only describes the series: its occurrences are the meetings.
        // A child event (IsChild) is an invitee's copy of someone else's event: the same meeting again.
        Always: Soql.And(Soql.Field("IsRecurrence").EqualTo(false), Soql.Field("IsChild").EqualTo(false)));

    public static readonly SyncedObject<EventRelation> EventRelations = new(
        "EventRelation",
        ["EventId", "RelationId", "Status", "IsInvitee", "IsParent", "IsWhat"],
        // Every invitation of an event in the window, however long before it was sent: a weekly 1:1 is one
        // recurring series whose occurrences and invitations were all created when it was set up.
        historyStart => Soql.Field("Event.StartDateTime").AtLeast(historyStart),
        r => new EventRelation(r.RequiredId("EventId"), r.RequiredId("RelationId"), r.Text("Status"), r.Bool("IsInvitee"),
            r.Bool("IsParent"), r.Bool("IsWhat")))
    {
        Parent = "Event",
    };

    public static readonly SyncedObject<OpportunityContactRole> ContactRoles = new(
        "OpportunityContactRole",
        ["OpportunityId", "ContactId", "Role"],
        Relevant: null,
        r => new OpportunityContactRole(r.RequiredId("OpportunityId"), r.IdOrNull("ContactId"), r.Text("Role")));

    public static readonly SyncedObject<OpportunityHistory> History = new(
        "OpportunityHistory",
        ["OpportunityId", "CloseDate", "PrevCloseDate", "CreatedDate"],
        historyStart => Soql.Field("CreatedDate").AtLeast(historyStart),
        r => new OpportunityHistory(r.RequiredId("OpportunityId"), r.Date("CloseDate"), r.Date("PrevCloseDate"),
            r.RequiredDateTime("CreatedDate")));

    public static readonly SyncedObject<ActivityTask> Tasks = new(
        "Task",
        ["Subject", "Type", "TaskSubtype", "Status", "IsClosed", "OwnerId", "CreatedById", "WhatId", "WhoId",
            "ActivityDate", "CompletedDateTime", "CreatedDate"],
        historyStart => Soql.Or(
            Soql.Field("IsClosed").EqualTo(false),
            Soql.Field("CreatedDate").AtLeast(historyStart),
            Soql.Field("ActivityDate").AtLeast(DateOnly.FromDateTime(historyStart.UtcDateTime))),
        r => new ActivityTask(r.Id, r.Text("Subject"), r.Text("Type"), r.Text("TaskSubtype"), r.Text("Status"),
            r.Bool("IsClosed"), r.RequiredId("OwnerId"), r.RequiredId("CreatedById"), r.IdOrNull("WhatId"),
            r.IdOrNull("WhoId"), r.Date("ActivityDate"), r.DateTime("CompletedDateTime"), r.RequiredDateTime("CreatedDate")));

    public static SyncedObject<Opportunity> Opportunities(string? nextStepDateField) => new(
        "Opportunity",
        ["OwnerId", "StageName", "IsClosed", "CloseDate", "NextStep", "LastActivityDate", "Amount",
            .. nextStepDateField is null ? Array.Empty<string>() : [nextStepDateField]],
        _ => Soql.Field("IsClosed").EqualTo(false),
        r => new Opportunity(r.Id, r.RequiredId("OwnerId"), r.Text("StageName") ?? "", r.Bool("IsClosed"),
            r.Date("CloseDate"), r.Text("NextStep"), r.Date("LastActivityDate"), r.Decimal("Amount"),
            nextStepDateField is null ? null : r.Date(nextStepDateField)));

    public static SyncedObject<Lead> Leads(IReadOnlyList<string> customFields) => new(
        "Lead",
        ["OwnerId", "Status", "IsConverted", "Rating", "LeadSource", "Industry", "AnnualRevenue", "NumberOfEmployees",
            "Country", "State", "Company", "CreatedDate", .. customFields],
        _ => Soql.Field("IsConverted").EqualTo(false),
        r => new Lead(r.Id, r.RequiredId("OwnerId"), r.Text("Status"), r.Bool("IsConverted"), r.Text("Rating"),
            r.Text("LeadSource"), r.Text("Industry"), r.Decimal("AnnualRevenue"), r.Int("NumberOfEmployees"),
            r.Text("Country"), r.Text("State"), r.Text("Company"), r.RequiredDateTime("CreatedDate"))
        {
            CustomFields = CustomFieldValues(r, customFields),
        });

    private static Dictionary<string, string?> CustomFieldValues(SalesforceRow row, IReadOnlyList<string> fields)
    {
        var values = new Dictionary<string, string?>(fields.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var field in fields)
            values[field] = row.AsText(field);
        return values;
    }
}
