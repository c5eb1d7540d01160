using LeadRouter.Org;

namespace LeadRouter.SalesforceEmulator.Generation;

// The record layouts (Salesforce API names) and one factory per sObject type. Each factory lists its
// values in the order of its shape's fields, so keep the two side by side when adding a field.
internal sealed partial class OrgBuilder
{
    private static readonly string[] Common = ["Id", "IsDeleted", "CreatedDate", "SystemModstamp"];

    private static readonly RecordShape UserShape = new("User", "005",
    [
        .. Common, "Username", "FirstName", "LastName", "Name", "Email", "Title", "IsActive", "ManagerId", "UserRoleId",
        "Country", "TimeZoneSidKey", "UserType",
    ]);

    private static readonly RecordShape GroupShape = new("Group", "00G", [.. Common, "Name", "DeveloperName", "Type"]);
    private static readonly RecordShape QueueSobjectShape = new("QueueSobject", "03g", [.. Common, "QueueId", "SobjectType"]);

    private static readonly RecordShape AccountShape = new("Account", "001",
        [.. Common, "Name", "Type", "Industry", "BillingCountry", "NumberOfEmployees", "OwnerId"]);

    private static readonly RecordShape ContactShape = new("Contact", "003",
        [.. Common, "AccountId", "FirstName", "LastName", "Name", "Title", "Email", "MailingCountry", "OwnerId"]);

    private static readonly RecordShape OpportunityShape = new("Opportunity", "006",
    [
        .. Common, "Name", "AccountId", "OwnerId", "Type", "StageName", "Probability", "IsClosed", "IsWon", "CloseDate",
        "Amount", "NextStep", "NextStepDate__c", "LastActivityDate",
    ]);

    private static readonly RecordShape ContactRoleShape = new("OpportunityContactRole", "00K",
        [.. Common, "OpportunityId", "ContactId", "Role", "IsPrimary"]);

    private static readonly RecordShape OpportunityHistoryShape = new("OpportunityHistory", "008",
        [.. Common, "OpportunityId", "StageName", "Amount", "CloseDate", "PrevCloseDate", "CreatedById"]);

    private static readonly RecordShape EventShape = new("Event", "00U",
    [
        .. Common, "Subject", "Type", "StartDateTime", "EndDateTime", "DurationInMinutes", "IsAllDayEvent", "ActivityDate",
        "ActivityDateTime", "OwnerId", "WhatId", "WhoId",
    ]);

    private static readonly RecordShape EventRelationShape = new("EventRelation", "0RE",
        [.. Common, "EventId", "RelationId", "Status", "IsInvitee", "RespondedDate"]);

    private static readonly RecordShape TaskShape = new("Task", "00T",
    [
        .. Common, "Subject", "Type", "TaskSubtype", "Status", "Priority", "IsClosed", "OwnerId", "CreatedById", "WhatId",
        "WhoId", "ActivityDate", "CompletedDateTime",
    ]);

    private static readonly RecordShape LeadShape = new("Lead", "00Q",
    [
        .. Common, "OwnerId", "FirstName", "LastName", "Name", "Company", "Email", "Status", "IsConverted", "ConvertedDate",
        "ConvertedAccountId", "ConvertedContactId", "ConvertedOpportunityId", "Rating", "LeadSource", "Industry",
        "AnnualRevenue", "NumberOfEmployees", "Country", "State", "Segment__c",
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
    private readonly Dictionary<int, object> _dayBoxes = [];

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

    private static string NextId(List<SObjectRecord> records, RecordShape shape) => SalesforceId.Create(shape.KeyPrefix, records.Count + 1);

    /// <summary>Adds the record; a modstamp equal to the creation moment shares its box.</summary>
    private static string Add(List<SObjectRecord> records, RecordShape shape, bool isDeleted, DateTimeOffset created, DateTimeOffset modified, object?[] fields)
    {
        var id = NextId(records, shape);
        object createdBox = created;
        fields[0] = id;
        fields[1] = Box(isDeleted);
        fields[2] = createdBox;
        fields[3] = modified == created ? createdBox : modified;
        records.Add(new SObjectRecord(shape, fields));
        return id;
    }

    private string AddUser(
        string username, string firstName, string lastName, string title, bool isActive, string? managerId,
        (string Country, string TimeZone, int UtcOffset) location, DateTimeOffset created, DateTimeOffset modified) =>
        Add(_users, UserShape, false, created, modified,
        [
            null, null, null, null, username, firstName, lastName, string.Concat(firstName, " ", lastName), username, title,
            Box(isActive), managerId, null, location.Country, location.TimeZone, "Standard",
        ]);

    private string AddGroup(string name, string developerName, string type, DateTimeOffset created) =>
        Add(_groups, GroupShape, false, created, created, [null, null, null, null, name, developerName, type]);

    private void AddQueueSobject(string queueId, string sobjectType, DateTimeOffset created) =>
        Add(_queueSobjects, QueueSobjectShape, false, created, created, [null, null, null, null, queueId, sobjectType]);

    private string AddAccount(string name, string type, string industry, string country, int employees, string ownerId, DateTimeOffset created) =>
        Add(_accounts, AccountShape, false, created, created, [null, null, null, null, name, type, industry, country, employees, ownerId]);

    private string AddContact(
        string accountId, string firstName, string lastName, string title, string email, string country, string ownerId, DateTimeOffset created) =>
        Add(_contacts, ContactShape, false, created, created,
            [null, null, null, null, accountId, firstName, lastName, string.Concat(firstName, " ", lastName), title, email, country, ownerId]);

    private string AddOpportunity(
        string name, string accountId, string ownerId, string type, string stage, object probability, bool isClosed, bool isWon,
        DateOnly closeDate, decimal amount, string? nextStep, DateOnly? nextStepDate, DateOnly? lastActivity,
        DateTimeOffset created, DateTimeOffset modified) =>
        Add(_opportunities, OpportunityShape, false, created, modified,
        [
            null, null, null, null, name, accountId, ownerId, type, stage, probability, Box(isClosed), Box(isWon), Box(closeDate),
            amount, nextStep, Box(nextStepDate), Box(lastActivity),
        ]);

    private void AddContactRole(string opportunityId, string contactId, string? role, bool isPrimary, DateTimeOffset created) =>
        Add(_contactRoles, ContactRoleShape, false, created, created, [null, null, null, null, opportunityId, contactId, role, Box(isPrimary)]);

    private void AddOpportunityHistory(
        string opportunityId, string stage, decimal amount, DateOnly closeDate, DateOnly? previousCloseDate, string createdById, DateTimeOffset created) =>
        Add(_opportunityHistory, OpportunityHistoryShape, false, created, created,
            [null, null, null, null, opportunityId, stage, amount, Box(closeDate), Box(previousCloseDate), createdById]);

    /// <summary>A timed event, or an all-day one starting at midnight UTC of <paramref name="start"/>'s day.</summary>
    private string AddEvent(
        string subject, string? type, DateTimeOffset start, bool isAllDay, string ownerId, string? whatId, string? whoId,
        DateTimeOffset created, DateTimeOffset modified, bool isDeleted = false)
    {
        var day = DateOnly.FromDateTime(start.UtcDateTime);
        object startBox = start;
        return Add(_events, EventShape, isDeleted, created, modified,
        [
            null, null, null, null, subject, type, startBox, isAllDay ? start.AddDays(1) : start.AddMinutes(30),
            isAllDay ? FullDay : ThirtyMinutes, Box(isAllDay), Box(day), isAllDay ? null : startBox, ownerId, whatId, whoId,
        ]);
    }

    private void AddEventRelation(
        string eventId, string relationId, string status, DateTimeOffset? responded, DateTimeOffset created, DateTimeOffset modified, bool isDeleted) =>
        Add(_eventRelations, EventRelationShape, isDeleted, created, modified,
            [null, null, null, null, eventId, relationId, status, True, responded]);

    /// <summary>A completed task when <paramref name="completed"/> is set (its modstamp), an open one otherwise.</summary>
    private void AddTask(
        string subject, string? type, string subtype, string ownerId, string createdById, string? whatId, string? whoId,
        DateOnly activityDate, DateTimeOffset created, DateTimeOffset? completed, bool isDeleted = false)
    {
        var isClosed = completed is not null;
        object?[] values =
        [
            null, null, null, null, subject, type, subtype, isClosed ? "Completed" : "Not Started", "Normal", Box(isClosed),
            ownerId, createdById, whatId, whoId, Box(activityDate), null,
        ];
        Add(_tasks, TaskShape, isDeleted, created, completed ?? created, values);
        if (isClosed)
            values[^1] = values[3]; // CompletedDateTime is the modstamp: share its box
    }

    private void AddLead(
        string ownerId, string firstName, string lastName, string company, string email, string status,
        (DateOnly Date, string AccountId, string ContactId, string? OpportunityId)? conversion, string? rating, string? leadSource,
        string? industry, decimal? annualRevenue, int? employees, string? country, string? state, string? segment,
        DateTimeOffset created, DateTimeOffset modified, bool isDeleted) =>
        Add(_leads, LeadShape, isDeleted, created, modified,
        [
            null, null, null, null, ownerId, firstName, lastName, string.Concat(firstName, " ", lastName), company, email, status,
            Box(conversion is not null), Box(conversion?.Date), conversion?.AccountId, conversion?.ContactId, conversion?.OpportunityId,
            rating, leadSource, industry, annualRevenue, employees, country, state, segment,
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
