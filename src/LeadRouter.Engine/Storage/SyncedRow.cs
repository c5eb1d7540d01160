using LeadRouter.Org;

namespace LeadRouter.Storage;

/// <summary>
/// One Salesforce row as the sync read it: its 18-character Id, the record, its SystemModstamp and
/// whether Salesforce reports it deleted (queryAll). The store keeps the newest version of each row.
/// </summary>
public sealed record SyncedRow<T>(string Id, T Record, DateTimeOffset SystemModstamp, bool IsDeleted = false)
    where T : class;

/// <summary>Shortcuts for records that carry their own Id.</summary>
public static class SyncedRow
{
    public static SyncedRow<User> Of(User user, DateTimeOffset systemModstamp, bool isDeleted = false) =>
        new(user.Id, user, systemModstamp, isDeleted);

    public static SyncedRow<Queue> Of(Queue queue, DateTimeOffset systemModstamp, bool isDeleted = false) =>
        new(queue.Id, queue, systemModstamp, isDeleted);

    public static SyncedRow<CalendarEvent> Of(CalendarEvent calendarEvent, DateTimeOffset systemModstamp) =>
        new(calendarEvent.Id, calendarEvent, systemModstamp, calendarEvent.IsDeleted);

    public static SyncedRow<ActivityTask> Of(ActivityTask task, DateTimeOffset systemModstamp, bool isDeleted = false) =>
        new(task.Id, task, systemModstamp, isDeleted);

    public static SyncedRow<Opportunity> Of(Opportunity opportunity, DateTimeOffset systemModstamp, bool isDeleted = false) =>
        new(opportunity.Id, opportunity, systemModstamp, isDeleted);

    public static SyncedRow<Lead> Of(Lead lead, DateTimeOffset systemModstamp, bool isDeleted = false) =>
        new(lead.Id, lead, systemModstamp, isDeleted);
}
