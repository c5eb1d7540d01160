using System.Text.Json;
using LeadRouter.Org;

namespace LeadRouter.Storage;

/// <summary>What a column holds; each dialect maps it to its own type.</summary>
internal enum ColumnType
{
    Text,
    Bool,
    Int,
    Decimal,
    Date,
    Moment,
    Guid,
    Double,
}

internal sealed record Column<TRow>(string Name, ColumnType Type, Func<TRow, object?> Value);

/// <summary>
/// A table's name, columns and key: what the dialects need to write upsert statements. When
/// <paramref name="NewerWinsColumn"/> is set, an upsert never replaces a row with an older version.
/// </summary>
internal sealed record TableShape(
    string Name,
    IReadOnlyList<string> Columns,
    IReadOnlyList<string> Key,
    string? NewerWinsColumn = null)
{
    public IEnumerable<string> NonKeyColumns => Columns.Except(Key);
}

/// <summary>
/// The local copy of one Salesforce object: columns id, the record's fields, is_deleted and
/// system_modstamp (the migrations create exactly these), and how to read a record back.
/// </summary>
internal sealed class SyncedTable<T>
    where T : class
{
    public SyncedTable(
        string name,
        string objectName,
        IReadOnlyList<Column<T>> fields,
        IReadOnlyList<string> readColumns,
        Func<RowCursor, T> read,
        Func<T, string>? recordId = null,
        Func<T, bool>? recordIsDeleted = null)
    {
        Name = name;
        ObjectName = objectName;
        ReadColumns = readColumns;
        Read = read;
        RecordId = recordId;
        Columns =
        [
            new("id", ColumnType.Text, row => row.Id),
            .. fields.Select(f => new Column<SyncedRow<T>>(f.Name, f.Type, row => f.Value(row.Record))),
            new("is_deleted", ColumnType.Bool, row => row.IsDeleted || (recordIsDeleted?.Invoke(row.Record) ?? false)),
            new("system_modstamp", ColumnType.Moment, row => row.SystemModstamp),
        ];
        Shape = new TableShape(name, Columns.Select(c => c.Name).ToArray(), ["id"], "system_modstamp");
    }

    public string Name { get; }

    /// <summary>The Salesforce API name, for messages.</summary>
    public string ObjectName { get; }

    public IReadOnlyList<Column<SyncedRow<T>>> Columns { get; }

    public TableShape Shape { get; }

    /// <summary>The columns <see cref="Read"/> consumes after the row's id (<see cref="RowCursor.Id"/>), in order.</summary>
    public IReadOnlyList<string> ReadColumns { get; }

    public Func<RowCursor, T> Read { get; }

    /// <summary>The record's own Id when it has one: it must equal the row's Id.</summary>
    public Func<T, string>? RecordId { get; }
}

/// <summary>The nine synced tables, one per Salesforce object LeadRouter reads.</summary>
internal static class SyncedTables
{
    public static readonly SyncedTable<User> Users = new(
        "users", "User",
        [
            new("name", ColumnType.Text, u => u.Name),
            new("username", ColumnType.Text, u => u.Username),
            new("email", ColumnType.Text, u => u.Email),
            new("is_active", ColumnType.Bool, u => u.IsActive),
            new("manager_id", ColumnType.Text, u => u.ManagerId),
            new("user_role_id", ColumnType.Text, u => u.UserRoleId),
            new("country", ColumnType.Text, u => u.Country),
            new("time_zone_sid_key", ColumnType.Text, u => u.TimeZoneSidKey),
        ],
        ["name", "username", "email", "is_active", "manager_id", "user_role_id", "country", "time_zone_sid_key"],
        r => new User(r.Id(), r.Text(), r.Text(), r.TextOrNull(), r.Bool(), r.TextOrNull(), r.TextOrNull(),
            r.TextOrNull(), r.TextOrNull()),
        u => u.Id);

    public static readonly SyncedTable<Queue> Queues = new(
        "queues", "Group",
        [
            new("developer_name", ColumnType.Text, q => q.DeveloperName),
            new("name", ColumnType.Text, q => q.Name),
        ],
        ["developer_name", "name"],
        r => new Queue(r.Id(), r.Text(), r.Text()),
        q => q.Id);

    public static readonly SyncedTable<CalendarEvent> Events = new(
        "events", "Event",
        [
            new("subject", ColumnType.Text, e => e.Subject),
            new("type", ColumnType.Text, e => e.Type),
            new("start_date_time", ColumnType.Moment, e => e.StartDateTime),
            new("end_date_time", ColumnType.Moment, e => e.EndDateTime),
            new("duration_in_minutes", ColumnType.Int, e => e.DurationInMinutes),
            new("is_all_day_event", ColumnType.Bool, e => e.IsAllDayEvent),
            new("owner_id", ColumnType.Text, e => e.OwnerId),
            new("what_id", ColumnType.Text, e => e.WhatId),
            new("who_id", ColumnType.Text, e => e.WhoId),
            new("show_as", ColumnType.Text, e => e.ShowAs),
        ],
        // The sync reads no series master, so IsRecurrence is not kept: every stored event is a meeting.
        ["subject", "type", "start_date_time", "end_date_time", "duration_in_minutes", "is_all_day_event",
            "owner_id", "what_id", "is_deleted", "who_id", "show_as"],
        r => new CalendarEvent(r.Id(), r.TextOrNull(), r.TextOrNull(), r.Moment(), r.MomentOrNull(), r.IntOrNull(),
            r.Bool(), r.Text(), r.TextOrNull(), r.Bool(), r.TextOrNull(), ShowAs: r.TextOrNull()),
        e => e.Id,
        e => e.IsDeleted);

    public static readonly SyncedTable<EventRelation> EventRelations = new(
        "event_relations", "EventRelation",
        [
            new("event_id", ColumnType.Text, e => e.EventId),
            new("relation_id", ColumnType.Text, e => e.RelationId),
            new("status", ColumnType.Text, e => e.Status),
            new("is_invitee", ColumnType.Bool, e => e.IsInvitee),
            new("is_parent", ColumnType.Bool, e => e.IsParent),
            new("is_what", ColumnType.Bool, e => e.IsWhat),
        ],
        ["event_id", "relation_id", "status", "is_invitee", "is_parent", "is_what"],
        r => new EventRelation(r.Text(), r.Text(), r.TextOrNull(), r.Bool(), r.Bool(), r.Bool()));

    public static readonly SyncedTable<ActivityTask> Tasks = new(
        "tasks", "Task",
        [
            new("subject", ColumnType.Text, t => t.Subject),
            new("type", ColumnType.Text, t => t.Type),
            new("task_subtype", ColumnType.Text, t => t.TaskSubtype),
            new("status", ColumnType.Text, t => t.Status),
            new("is_closed", ColumnType.Bool, t => t.IsClosed),
            new("owner_id", ColumnType.Text, t => t.OwnerId),
            new("created_by_id", ColumnType.Text, t => t.CreatedById),
            new("what_id", ColumnType.Text, t => t.WhatId),
            new("who_id", ColumnType.Text, t => t.WhoId),
            new("activity_date", ColumnType.Date, t => t.ActivityDate),
            new("completed_date_time", ColumnType.Moment, t => t.CompletedDateTime),
            new("created_date", ColumnType.Moment, t => t.CreatedDate),
        ],
        ["subject", "type", "task_subtype", "status", "is_closed", "owner_id", "created_by_id", "what_id",
            "who_id", "activity_date", "completed_date_time", "created_date"],
        r => new ActivityTask(r.Id(), r.TextOrNull(), r.TextOrNull(), r.TextOrNull(), r.TextOrNull(), r.Bool(),
            r.Text(), r.Text(), r.TextOrNull(), r.TextOrNull(), r.DateOrNull(), r.MomentOrNull(), r.Moment()),
        t => t.Id);

    public static readonly SyncedTable<Opportunity> Opportunities = new(
        "opportunities", "Opportunity",
        [
            new("owner_id", ColumnType.Text, o => o.OwnerId),
            new("stage_name", ColumnType.Text, o => o.StageName),
            new("is_closed", ColumnType.Bool, o => o.IsClosed),
            new("close_date", ColumnType.Date, o => o.CloseDate),
            new("next_step", ColumnType.Text, o => o.NextStep),
            new("last_activity_date", ColumnType.Date, o => o.LastActivityDate),
            new("amount", ColumnType.Decimal, o => o.Amount),
            new("next_step_date", ColumnType.Date, o => o.NextStepDate),
        ],
        ["owner_id", "stage_name", "is_closed", "close_date", "next_step", "last_activity_date", "amount",
            "next_step_date"],
        r => new Opportunity(r.Id(), r.Text(), r.Text(), r.Bool(), r.DateOrNull(), r.TextOrNull(), r.DateOrNull(),
            r.DecimalOrNull(), r.DateOrNull()),
        o => o.Id);

    public static readonly SyncedTable<OpportunityContactRole> ContactRoles = new(
        "opportunity_contact_roles", "OpportunityContactRole",
        [
            new("opportunity_id", ColumnType.Text, c => c.OpportunityId),
            new("contact_id", ColumnType.Text, c => c.ContactId),
            new("role", ColumnType.Text, c => c.Role),
        ],
        ["opportunity_id", "contact_id", "role"],
        r => new OpportunityContactRole(r.Text(), r.TextOrNull(), r.TextOrNull()));

    public static readonly SyncedTable<OpportunityHistory> History = new(
        "opportunity_history", "OpportunityHistory",
        [
            new("opportunity_id", ColumnType.Text, h => h.OpportunityId),
            new("close_date", ColumnType.Date, h => h.CloseDate),
            new("prev_close_date", ColumnType.Date, h => h.PrevCloseDate),
            new("created_date", ColumnType.Moment, h => h.CreatedDate),
        ],
        ["opportunity_id", "close_date", "prev_close_date", "created_date"],
        r => new OpportunityHistory(r.Text(), r.DateOrNull(), r.DateOrNull(), r.Moment()));

    public static readonly SyncedTable<Lead> Leads = new(
        "leads", "Lead",
        [
            new("owner_id", ColumnType.Text, l => l.OwnerId),
            new("status", ColumnType.Text, l => l.Status),
            new("is_converted", ColumnType.Bool, l => l.IsConverted),
            new("rating", ColumnType.Text, l => l.Rating),
            new("lead_source", ColumnType.Text, l => l.LeadSource),
            new("industry", ColumnType.Text, l => l.Industry),
            new("annual_revenue", ColumnType.Decimal, l => l.AnnualRevenue),
            new("number_of_employees", ColumnType.Int, l => l.NumberOfEmployees),
            new("country", ColumnType.Text, l => l.Country),
            new("state", ColumnType.Text, l => l.State),
            new("company", ColumnType.Text, l => l.Company),
            new("created_date", ColumnType.Moment, l => l.CreatedDate),
            // Custom fields named in the routing rules, by API name, as a JSON object.
            new("custom_fields", ColumnType.Text, l => JsonSerializer.Serialize(l.CustomFields)),
        ],
        ["owner_id", "status", "is_converted", "rating", "lead_source", "industry", "annual_revenue",
            "number_of_employees", "country", "state", "company", "created_date", "custom_fields"],
        r => new Lead(r.Id(), r.Text(), r.TextOrNull(), r.Bool(), r.TextOrNull(), r.TextOrNull(), r.TextOrNull(),
            r.DecimalOrNull(), r.IntOrNull(), r.TextOrNull(), r.TextOrNull(), r.TextOrNull(), r.Moment())
        {
            CustomFields = r.Fields(),
        },
        l => l.Id);

    /// <summary>Every synced table's shape, for schema checks.</summary>
    public static IReadOnlyList<TableShape> Shapes { get; } =
    [
        Users.Shape, Queues.Shape, Events.Shape, EventRelations.Shape, Tasks.Shape, Opportunities.Shape,
        ContactRoles.Shape, History.Shape, Leads.Shape,
    ];

    public static SyncedTable<T> For<T>()
        where T : class
    {
        object table = typeof(T) switch
        {
            var t when t == typeof(User) => Users,
            var t when t == typeof(Queue) => Queues,
            var t when t == typeof(CalendarEvent) => Events,
            var t when t == typeof(EventRelation) => EventRelations,
            var t when t == typeof(ActivityTask) => Tasks,
            var t when t == typeof(Opportunity) => Opportunities,
            var t when t == typeof(OpportunityContactRole) => ContactRoles,
            var t when t == typeof(OpportunityHistory) => History,
            var t when t == typeof(Lead) => Leads,
            _ => throw new NotSupportedException($"The store keeps no table for {typeof(T).Name} records."),
        };
        return (SyncedTable<T>)table;
    }
}
