using System.Globalization;
using LeadRouter.Org;
using LeadRouter.SalesforceEmulator.Data;
using LeadRouter.SalesforceEmulator.Soql;

namespace LeadRouter.IntegrationTests.Sync;

/// <summary>
/// What the store should hold after a pull, computed from the emulator's own store with SOQL written
/// here from the domain design ("Data read from Salesforce"), not from the sync's query builder: per
/// object, every row changed within the history window plus the rows that matter whatever their age
/// (open tasks and opportunities, unconverted leads, events starting in the window and their invitations),
/// deleted ones included; no recurring series' master or invitee's copy of an event.
/// </summary>
internal sealed class ExpectedOrg
{
    private ExpectedOrg(IReadOnlyList<ExpectedObject> objects) => Objects = objects;

    public IReadOnlyList<ExpectedObject> Objects { get; }

    public ExpectedObject this[string objectName] => Objects.Single(o => o.ObjectName == objectName);

    public static ExpectedOrg From(OrgStore store, DateTimeOffset historyStart)
    {
        var since = historyStart.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var sinceDay = historyStart.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var changed = $"SystemModstamp >= {since}";
        ExpectedObject Read(string objectName, string table, string fields, string? where, Func<Row, object?> map) =>
            new(objectName, table, Query(store, $"SELECT Id, IsDeleted, {fields} FROM {objectName}" + (where is null ? "" : $" WHERE {where}"), map));

        return new ExpectedOrg(
        [
            Read("User", "users", "Name, Username, Email, IsActive, ManagerId, UserRoleId, Country, TimeZoneSidKey", null,
                r => new User(r.Id, r.Text("Name") ?? "", r.Text("Username") ?? "", r.Text("Email"), r.Bool("IsActive"),
                    r.Text("ManagerId"), r.Text("UserRoleId"), r.Text("Country"), r.Text("TimeZoneSidKey"))),
            Read("Group", "queues", "DeveloperName, Name", "Type = 'Queue'",
                r => new Queue(r.Id, r.Text("DeveloperName") ?? "", r.Text("Name") ?? "")),
            Read("Event", "events", "Subject, Type, StartDateTime, EndDateTime, DurationInMinutes, IsAllDayEvent, OwnerId, WhatId, WhoId, ShowAs",
                $"IsRecurrence = false AND IsChild = false AND ({changed} OR StartDateTime >= {since})",
                r => new CalendarEvent(r.Id, r.Text("Subject"), r.Text("Type"), r.Moment("StartDateTime")!.Value, r.Moment("EndDateTime"),
                    r.Int("DurationInMinutes"), r.Bool("IsAllDayEvent"), r.Text("OwnerId")!, r.Text("WhatId"), r.Bool("IsDeleted"),
                    r.Text("WhoId"), ShowAs: r.Text("ShowAs"))),
            Read("EventRelation", "event_relations", "EventId, RelationId, Status, IsInvitee, IsParent, IsWhat", $"{changed} OR Event.StartDateTime >= {since}",
                r => new EventRelation(r.Text("EventId")!, r.Text("RelationId")!, r.Text("Status"), r.Bool("IsInvitee"),
                    r.Bool("IsParent"), r.Bool("IsWhat"))),
            Read("Task", "tasks",
                "Subject, Type, TaskSubtype, Status, IsClosed, OwnerId, CreatedById, WhatId, WhoId, ActivityDate, CompletedDateTime, CreatedDate",
                $"{changed} OR IsClosed = false OR CreatedDate >= {since} OR ActivityDate >= {sinceDay}",
                r => new ActivityTask(r.Id, r.Text("Subject"), r.Text("Type"), r.Text("TaskSubtype"), r.Text("Status"), r.Bool("IsClosed"),
                    r.Text("OwnerId")!, r.Text("CreatedById")!, r.Text("WhatId"), r.Text("WhoId"), r.Date("ActivityDate"),
                    r.Moment("CompletedDateTime"), r.Moment("CreatedDate")!.Value)),
            Read("Opportunity", "opportunities", "OwnerId, StageName, IsClosed, CloseDate, NextStep, LastActivityDate, Amount",
                $"{changed} OR IsClosed = false",
                r => new Opportunity(r.Id, r.Text("OwnerId")!, r.Text("StageName") ?? "", r.Bool("IsClosed"), r.Date("CloseDate"),
                    r.Text("NextStep"), r.Date("LastActivityDate"), r.Decimal("Amount"))),
            Read("OpportunityContactRole", "opportunity_contact_roles", "OpportunityId, ContactId, Role", null,
                r => new OpportunityContactRole(r.Text("OpportunityId")!, r.Text("ContactId"), r.Text("Role"))),
            Read("OpportunityHistory", "opportunity_history", "OpportunityId, CloseDate, PrevCloseDate, CreatedDate",
                $"{changed} OR CreatedDate >= {since}",
                r => new OpportunityHistory(r.Text("OpportunityId")!, r.Date("CloseDate"), r.Date("PrevCloseDate"), r.Moment("CreatedDate")!.Value)),
            Read("Lead", "leads",
                "OwnerId, Status, IsConverted, Rating, LeadSource, Industry, AnnualRevenue, NumberOfEmployees, Country, State, Company, CreatedDate",
                $"{changed} OR IsConverted = false",
                r => WithoutCustomFields(new Lead(r.Id, r.Text("OwnerId")!, r.Text("Status"), r.Bool("IsConverted"), r.Text("Rating"),
                    r.Text("LeadSource"), r.Text("Industry"), r.Decimal("AnnualRevenue"), r.Int("NumberOfEmployees"), r.Text("Country"),
                    r.Text("State"), r.Text("Company"), r.Moment("CreatedDate")!.Value))),
        ]);
    }

    /// <summary>Leads carry their custom fields in a dictionary, compared by reference: give both sides the same empty one.</summary>
    public static Lead WithoutCustomFields(Lead lead) => lead with { CustomFields = NoCustomFields };

    private static readonly IReadOnlyDictionary<string, string?> NoCustomFields = new Dictionary<string, string?>();

    private static IReadOnlyList<ExpectedRow> Query(OrgStore store, string soql, Func<Row, object?> map)
    {
        // queryAll: deleted rows are part of what the sync reads (and stores as deleted).
        var result = SoqlEngine.Execute(store, soql, includeDeleted: true, SyncTestOrg.AsOf, TimeZoneInfo.Utc);
        return result.Rows.Select(values =>
        {
            var row = new Row(values);
            return new ExpectedRow(row.Id, row.Bool("IsDeleted"), map(row)!);
        }).ToList();
    }

    /// <summary>One emulator row: CLR values by field name.</summary>
    internal readonly struct Row(IReadOnlyDictionary<string, object?> values)
    {
        public string Id => (string)values["Id"]!;

        public string? Text(string field) => (string?)values[field];

        public bool Bool(string field) => values[field] is true;

        public int? Int(string field) => values[field] switch
        {
            null => null,
            int n => n,
            var other => Convert.ToInt32(other, CultureInfo.InvariantCulture),
        };

        public decimal? Decimal(string field) => values[field] switch
        {
            null => null,
            var other => Convert.ToDecimal(other, CultureInfo.InvariantCulture),
        };

        public DateOnly? Date(string field) => (DateOnly?)values[field];

        public DateTimeOffset? Moment(string field) => (DateTimeOffset?)values[field];
    }
}

/// <summary>The rows of one object the store should hold, live and deleted.</summary>
internal sealed record ExpectedObject(string ObjectName, string Table, IReadOnlyList<ExpectedRow> Rows)
{
    public IEnumerable<object> LiveRecords => Rows.Where(r => !r.IsDeleted).Select(r => r.Record);

    public Dictionary<string, bool> Ids => Rows.ToDictionary(r => r.Id, r => r.IsDeleted, StringComparer.Ordinal);
}

internal sealed record ExpectedRow(string Id, bool IsDeleted, object Record);
