using LeadRouter.Org;

namespace LeadRouter.SalesforceEmulator.Generation;

// The record layouts (Salesforce API names, after the common Id, IsDeleted, CreatedDate,
// LastModifiedDate and SystemModstamp) and one factory per sObject type. Each factory lists its
// values in the order of its shape's fields, so keep the two side by side when adding a field.
internal sealed partial class OrgGeneration
{
    private static readonly RecordShape UserShape = new("User", "005",
    [
        "Username", "FirstName", "LastName", "Name", "Email", "IsActive", "ManagerId", "UserRoleId", "Country",
        "TimeZoneSidKey",
    ]);

    private static readonly RecordShape GroupShape = new("Group", "00G", ["Name", "DeveloperName", "Type"]);
    private static readonly RecordShape QueueSobjectShape = new("QueueSobject", "03g", ["QueueId", "SobjectType"]);
    private static readonly RecordShape AccountShape = new("Account", "001", ["Name", "Industry", "OwnerId"]);

    private static readonly RecordShape ContactShape = new("Contact", "003",
        ["AccountId", "FirstName", "LastName", "Name", "Email", "OwnerId"]);

    private static readonly RecordShape OpportunityShape = new("Opportunity", "006",
    [
        "Name", "AccountId", "OwnerId", "StageName", "IsClosed", "CloseDate", "Amount", "NextStep", "NextStepDate__c",
        "LastActivityDate",
    ]);

    private static readonly RecordShape ContactRoleShape = new("OpportunityContactRole", "00K",
        ["OpportunityId", "ContactId", "Role", "IsPrimary"]);

    private static readonly RecordShape OpportunityHistoryShape = new("OpportunityHistory", "008",
        ["OpportunityId", "StageName", "Amount", "CloseDate", "PrevCloseDate"]);

    private static readonly RecordShape EventShape = new("Event", "00U",
    [
        "Subject", "Type", "StartDateTime", "EndDateTime", "DurationInMinutes", "IsAllDayEvent", "OwnerId", "CreatedById",
        "WhatId", "WhoId", "ShowAs", "IsRecurrence", "RecurrenceActivityId", "RecurrenceStartDateTime", "RecurrenceEndDateOnly",
        "RecurrenceType", "RecurrenceInterval", "RecurrenceDayOfWeekMask", "RecurrenceTimeZoneSidKey",
    ]);

    private static readonly RecordShape EventRelationShape = new("EventRelation", "0RE",
        ["EventId", "RelationId", "Status", "IsInvitee", "IsParent", "IsWhat"]);

    private static readonly RecordShape TaskShape = new("Task", "00T",
    [
        "Subject", "Type", "TaskSubtype", "Status", "IsClosed", "OwnerId", "CreatedById", "WhatId", "WhoId",
        "ActivityDate", "CompletedDateTime",
    ]);

    private static readonly RecordShape LeadShape = new("Lead", "00Q",
    [
        "OwnerId", "FirstName", "LastName", "Name", "Company", "Email", "Status", "IsConverted", "Rating", "LeadSource",
        "Industry", "AnnualRevenue", "NumberOfEmployees", "Country", "State", "Segment__c",
    ]);

    private readonly List<SObjectRecord> _users;
    private readonly List<SObjectRecord> _groups;
    private readonly List<SObjectRecord> _queueSobjects;
    private readonly List<SObjectRecord> _accounts;
    private readonly List<SObjectRecord> _contacts;
    private readonly List<SObjectRecord> _opportunities;
    private readonly List<SObjectRecord> _contactRoles;
    private readonly List<SObjectRecord> _opportunityHistory;
    private readonly List<SObjectRecord> _events;
    private readonly List<SObjectRecord> _eventRelations;
    private readonly List<SObjectRecord> _tasks;
    private readonly List<SObjectRecord> _leads;

    // Shared boxes: a million records hold references to a handful of boxed flags, numbers and dates.
    private static readonly object True = true;
    private static readonly object False = false;
    private static readonly object ThirtyMinutes = 30;
    private static readonly object FullDay = 24 * 60;
    private static readonly object WorkingWeek = 5 * 24 * 60;
    private static readonly object EveryWeek = 1;
    private readonly Dictionary<int, object> _dayBoxes = [];
    private readonly Dictionary<long, object> _momentBoxes = [];

    private static object Box(bool value) => value ? True : False;

    private object Box(DateOnly day)
    {
        if (!_dayBoxes.TryGetValue(day.DayNumber, out var box))
        {
            box = day;
            _dayBoxes.Add(day.DayNumber, box);
        }
        return box;
    }

    private object? Box(DateOnly? day) => day is { } d ? Box(d) : null;

    /// <summary>Moments fall on whole minutes of 12 weeks, so most activities share their timestamps' boxes.</summary>
    private object Box(DateTimeOffset moment)
    {
        if (!_momentBoxes.TryGetValue(moment.UtcTicks, out var box))
        {
            box = moment;
            _momentBoxes.Add(moment.UtcTicks, box);
        }
        return box;
    }

    private object? Box(DateTimeOffset? moment) => moment is { } m ? Box(m) : null;

    /// <summary>Adds a record with a new id; the modstamp is also its last modified date.</summary>
    private string Add(
        List<SObjectRecord> records, RecordShape shape, bool isDeleted, DateTimeOffset created, DateTimeOffset modified, ReadOnlySpan<object?> fields)
    {
        var id = SalesforceId.Create(shape.KeyPrefix, records.Count + 1);
        records.Add(SObjectRecord.Create(shape, id, Box(isDeleted), Box(created), Box(modified), fields));
        return id;
    }

    private string AddUser(
        string username, string firstName, string lastName, bool isActive, string? managerId,
        (string Country, string TimeZone, int UtcOffset) location, DateTimeOffset created, DateTimeOffset modified) =>
        Add(_users, UserShape, false, created, modified,
        [
            username, firstName, lastName, string.Concat(firstName, " ", lastName), username, Box(isActive), managerId, null,
            location.Country, location.TimeZone,
        ]);

    private string AddGroup(string name, string developerName, string type, DateTimeOffset created) =>
        Add(_groups, GroupShape, false, created, created, [name, developerName, type]);

    private void AddQueueSobject(string queueId, string sobjectType, DateTimeOffset created) =>
        Add(_queueSobjects, QueueSobjectShape, false, created, created, [queueId, sobjectType]);

    private string AddAccount(string name, string industry, string ownerId, DateTimeOffset created) =>
        Add(_accounts, AccountShape, false, created, created, [name, industry, ownerId]);

    private string AddContact(string accountId, string firstName, string lastName, string email, string ownerId, DateTimeOffset created) =>
        Add(_contacts, ContactShape, false, created, created,
            [accountId, firstName, lastName, string.Concat(firstName, " ", lastName), email, ownerId]);

    private string AddOpportunity(
        string name, string accountId, string ownerId, string stage, bool isClosed, DateOnly closeDate, object amount,
        string? nextStep, DateOnly? nextStepDate, DateOnly? lastActivity, DateTimeOffset created, DateTimeOffset modified) =>
        Add(_opportunities, OpportunityShape, false, created, modified,
        [
            name, accountId, ownerId, stage, Box(isClosed), Box(closeDate), amount, nextStep, Box(nextStepDate), Box(lastActivity),
        ]);

    private void AddContactRole(string opportunityId, string contactId, string? role, bool isPrimary, DateTimeOffset created) =>
        Add(_contactRoles, ContactRoleShape, false, created, created, [opportunityId, contactId, role, Box(isPrimary)]);

    private void AddOpportunityHistory(
        string opportunityId, string stage, object amount, DateOnly closeDate, DateOnly? previousCloseDate, DateTimeOffset created) =>
        Add(_opportunityHistory, OpportunityHistoryShape, false, created, created,
            [opportunityId, stage, amount, Box(closeDate), Box(previousCloseDate)]);

    /// <summary>
    /// A 30-minute event, or an all-day one starting at midnight UTC of <paramref name="start"/>'s day; an
    /// occurrence of a recurring series names its master in <paramref name="seriesId"/>.
    /// </summary>
    private string AddEvent(
        string subject, string? type, DateTimeOffset start, bool isAllDay, string ownerId, string? whatId, string? whoId,
        DateTimeOffset created, DateTimeOffset modified, bool isDeleted = false, string? seriesId = null) =>
        Add(_events, EventShape, isDeleted, created, modified,
        [
            subject, type, Box(start), Box(isAllDay ? start.AddDays(1) : start.AddMinutes(30)),
            isAllDay ? FullDay : ThirtyMinutes, Box(isAllDay), ownerId, ownerId, whatId, whoId, "Busy", False, seriesId,
            null, null, null, null, null, null,
        ]);

    /// <summary>Time off: an all-day event from Monday (midnight UTC, as Salesforce stores all-day events) through Friday.</summary>
    private void AddOutOfOffice(string ownerId, DateOnly monday, DateTimeOffset created) =>
        Add(_events, EventShape, false, created, created,
        [
            "Out of office", null, Box(At(monday, 0)), Box(At(monday.AddDays(5), 0)), WorkingWeek, True, ownerId, ownerId, null, null,
            "OutOfOffice", False, null, null, null, null, null, null, null,
        ]);

    /// <summary>
    /// The master of a weekly series: it describes the series (first start, end date, weekday) and is no
    /// meeting itself; each week's meeting is an occurrence pointing at it.
    /// </summary>
    private string AddSeriesMaster(
        string subject, string? type, DateTimeOffset firstStart, DateOnly lastDay, string ownerId, string timeZone,
        DateTimeOffset created, DateTimeOffset modified) =>
        Add(_events, EventShape, false, created, modified,
        [
            subject, type, Box(firstStart), Box(firstStart.AddMinutes(30)), ThirtyMinutes, False, ownerId, ownerId, null, null,
            "Busy", True, null, Box(firstStart), Box(lastDay), "RecursWeekly", EveryWeek,
            WeekdayMasks[(int)DateOnly.FromDateTime(firstStart.UtcDateTime).DayOfWeek], timeZone,
        ]);

    /// <summary>RecurrenceDayOfWeekMask of each weekday: Sunday 1, Monday 2, ... Saturday 64.</summary>
    private static readonly object[] WeekdayMasks = [1, 2, 4, 8, 16, 32, 64];

    /// <summary>
    /// An invitee (IsInvitee) or, with Shared Activities, a contact related to the event (IsParent), or both:
    /// one row per person, as Salesforce keeps it.
    /// </summary>
    private void AddEventRelation(string eventId, string relationId, string? status, DateTimeOffset created, DateTimeOffset modified, bool isDeleted,
        bool isInvitee = true, bool isParent = false) =>
        Add(_eventRelations, EventRelationShape, isDeleted, created, modified,
            [eventId, relationId, status, Box(isInvitee), Box(isParent), False]);

    /// <summary>A completed task when <paramref name="completed"/> is set (it is also the modstamp), an open one otherwise.</summary>
    private void AddTask(
        string subject, string? type, string subtype, string ownerId, string createdById, string? whatId, string? whoId,
        DateOnly activityDate, DateTimeOffset created, DateTimeOffset? completed, bool isDeleted = false) =>
        Add(_tasks, TaskShape, isDeleted, created, completed ?? created,
        [
            subject, type, subtype, completed is null ? "Not Started" : "Completed",
            Box(completed is not null), ownerId, createdById, whatId, whoId, Box(activityDate), Box(completed),
        ]);

    private void AddLead(
        string ownerId, string firstName, string lastName, string company, string email, string status, bool isConverted,
        string? rating, string? leadSource, string? industry, decimal? annualRevenue, int? employees, string? country, string? state,
        string? segment, DateTimeOffset created, DateTimeOffset modified, bool isDeleted) =>
        Add(_leads, LeadShape, isDeleted, created, modified,
        [
            ownerId, firstName, lastName, string.Concat(firstName, " ", lastName), company, email, status,
            Box(isConverted), rating, leadSource, industry, annualRevenue, employees, country, state, segment,
        ]);

    private IReadOnlyDictionary<string, IReadOnlyList<IReadOnlyDictionary<string, object?>>> RecordsByType()
    {
        var byType = new Dictionary<string, IReadOnlyList<IReadOnlyDictionary<string, object?>>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (shape, records) in new[]
                 {
                     (UserShape, _users), (GroupShape, _groups), (QueueSobjectShape, _queueSobjects), (AccountShape, _accounts),
                     (ContactShape, _contacts), (OpportunityShape, _opportunities), (ContactRoleShape, _contactRoles),
                     (OpportunityHistoryShape, _opportunityHistory), (EventShape, _events), (EventRelationShape, _eventRelations),
                     (TaskShape, _tasks), (LeadShape, _leads),
                 })
        {
            byType.Add(shape.ObjectName, records);
        }
        return byType;
    }
}
