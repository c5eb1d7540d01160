namespace LeadRouter.Org;

// Plain snapshots of the Salesforce records LeadRouter reads, one record per sObject row, with
// fields by their API names. They carry no behaviour: the trust and routing engines read them,
// the store persists them, the sync fills them. Ids are 18-character Salesforce ids.

/// <summary>Salesforce User: a rep when active and with a manager; a manager when someone reports to them.</summary>
public sealed record User(
    string Id,
    string Name,
    string Username,
    string? Email,
    bool IsActive,
    string? ManagerId,
    string? UserRoleId,
    string? Country,
    string? TimeZoneSidKey);

/// <summary>A Group of Type 'Queue' that can own leads (the routing pools).</summary>
public sealed record Queue(string Id, string DeveloperName, string Name);

/// <summary>
/// Salesforce Event (calendar meeting); weekly one-on-one reviews are Events. A recurring series has a
/// master Event (<paramref name="IsRecurrence"/> true) that is no meeting itself, and one Event per
/// occurrence. <paramref name="ShowAs"/> is Busy, Free or OutOfOffice; <paramref name="WhoId"/> the contact or lead.
/// </summary>
public sealed record CalendarEvent(
    string Id,
    string? Subject,
    string? Type,
    DateTimeOffset StartDateTime,
    DateTimeOffset? EndDateTime,
    int? DurationInMinutes,
    bool IsAllDayEvent,
    string OwnerId,
    string? WhatId,
    bool IsDeleted,
    string? WhoId = null,
    bool IsRecurrence = false,
    string? ShowAs = null);

/// <summary>
/// EventRelation: an invitee (or attendee) of an Event, with their response Status. With Shared
/// Activities an Event also has rows for its contacts or leads (<paramref name="IsParent"/>, not
/// necessarily invited) and for its What (<paramref name="IsWhat"/>).
/// </summary>
public sealed record EventRelation(string EventId, string RelationId, string? Status, bool IsInvitee, bool IsParent = false, bool IsWhat = false);

/// <summary>
/// Salesforce Opportunity. <see cref="NextStepDate"/> is filled from a configured custom field when
/// one is set; otherwise the trust engine derives it from the earliest open activity on the deal.
/// </summary>
public sealed record Opportunity(
    string Id,
    string OwnerId,
    string StageName,
    bool IsClosed,
    DateOnly? CloseDate,
    string? NextStep,
    DateOnly? LastActivityDate,
    decimal? Amount,
    DateOnly? NextStepDate = null);

public sealed record OpportunityContactRole(string OpportunityId, string? ContactId, string? Role);

/// <summary>OpportunityHistory row: a change of stage, amount or close date on an opportunity.</summary>
public sealed record OpportunityHistory(
    string OpportunityId,
    DateOnly? CloseDate,
    DateOnly? PrevCloseDate,
    DateTimeOffset CreatedDate);

/// <summary>Salesforce Task (named so to stay clear of System.Threading.Tasks.Task).</summary>
public sealed record ActivityTask(
    string Id,
    string? Subject,
    string? Type,
    string? TaskSubtype,
    string? Status,
    bool IsClosed,
    string OwnerId,
    string CreatedById,
    string? WhatId,
    string? WhoId,
    DateOnly? ActivityDate,
    DateTimeOffset? CompletedDateTime,
    DateTimeOffset CreatedDate);

/// <summary>
/// Salesforce Lead. Standard fields are properties; custom fields named in the routing rules
/// travel in <see cref="CustomFields"/> by API name (e.g. "Segment__c").
/// </summary>
public sealed record Lead(
    string Id,
    string OwnerId,
    string? Status,
    bool IsConverted,
    string? Rating,
    string? LeadSource,
    string? Industry,
    decimal? AnnualRevenue,
    int? NumberOfEmployees,
    string? Country,
    string? State,
    string? Company,
    DateTimeOffset CreatedDate)
{
    public IReadOnlyDictionary<string, string?> CustomFields { get; init; } =
        new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
}

/// <summary>Everything the engines read about one org at one moment.</summary>
public sealed record OrgSnapshot(
    IReadOnlyList<User> Users,
    IReadOnlyList<Queue> Queues,
    IReadOnlyList<CalendarEvent> Events,
    IReadOnlyList<EventRelation> EventRelations,
    IReadOnlyList<Opportunity> Opportunities,
    IReadOnlyList<OpportunityContactRole> ContactRoles,
    IReadOnlyList<OpportunityHistory> OpportunityHistory,
    IReadOnlyList<ActivityTask> Tasks,
    IReadOnlyList<Lead> Leads)
{
    public static OrgSnapshot Empty { get; } = new([], [], [], [], [], [], [], [], []);
}
