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
internal sealed record SyncedObject<T>(
    string Name,
    IReadOnlyList<string> Fields,
    Func<DateTimeOffset, SoqlCondition?>? Relevant,
    Func<SalesforceRow, T> Map,
    SoqlCondition? Always = null)
    where T : class
{
    public SoqlQuery Query(DateTimeOffset? from, DateTimeOffset historyStart)
    {
        var modstamp = Soql.Field("SystemModstamp");
        var builder = Soql.Select(["Id", "IsDeleted", "SystemModstamp", .. Fields]).From(Name);
        if (Always is not null)
            builder.Where(Always);
        if (from is { } start)
            builder.Where(modstamp.AtLeast(start));
        if (Relevant is not null)
        {
            var inWindow = modstamp.AtLeast(historyStart);
            builder.Where(Relevant(historyStart) is { } relevant ? Soql.Or(inWindow, relevant) : inWindow);
        }
        return builder.OrderBy("SystemModstamp").OrderBy("Id").Build();
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
        ["Subject", "Type", "StartDateTime", "EndDateTime", "DurationInMinutes", "IsAllDayEvent", "OwnerId", "WhatId"],
        historyStart => Soql.Field("StartDateTime").AtLeast(historyStart),
        r => new CalendarEvent(r.Id, r.Text("Subject"), r.Text("Type"), r.RequiredDateTime("StartDateTime"),
            r.DateTime("EndDateTime"), r.Int("DurationInMinutes"), r.Bool("IsAllDayEvent"), r.RequiredId("OwnerId"),
            r.IdOrNull("WhatId"), r.Bool("IsDeleted")));

    public static readonly SyncedObject<EventRelation> EventRelations = new(
        "EventRelation",
        ["EventId", "RelationId", "Status", "IsInvitee"],
        // No date of its own to filter on: the rows changed within the window (its reviews' invitations).
        _ => null,
        r => new EventRelation(r.RequiredId("EventId"), r.RequiredId("RelationId"), r.Text("Status"), r.Bool("IsInvitee")));

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
