using LeadRouter.Org;
using LeadRouter.SalesforceEmulator.Generation;

namespace LeadRouter.Tests.Emulator.Generation;

/// <summary>
/// A generated org read straight into the trust engine's snapshot, the way a full sync of it would
/// (deleted rows included, as queryAll returns them): scoring tests run on the generator's shapes without HTTP.
/// </summary>
internal static class GeneratedSnapshot
{
    public static OrgSnapshot Of(GeneratedOrg org) => new(
        Rows(org, "User", r => new User(Id(r), Text(r, "Name")!, Text(r, "Username")!, Text(r, "Email"), Flag(r, "IsActive"),
            Text(r, "ManagerId"), Text(r, "UserRoleId"), Text(r, "Country"), Text(r, "TimeZoneSidKey"))),
        [],
        Rows(org, "Event", r => new CalendarEvent(Id(r), Text(r, "Subject"), Text(r, "Type"), (DateTimeOffset)r["StartDateTime"]!,
            r["EndDateTime"] as DateTimeOffset?, r["DurationInMinutes"] as int?, Flag(r, "IsAllDayEvent"), Text(r, "OwnerId")!,
            Text(r, "WhatId"), Flag(r, "IsDeleted"), Text(r, "WhoId"), Flag(r, "IsRecurrence"), Text(r, "ShowAs"))),
        Rows(org, "EventRelation", r => new EventRelation(Text(r, "EventId")!, Text(r, "RelationId")!, Text(r, "Status"), Flag(r, "IsInvitee"),
            Flag(r, "IsParent"), Flag(r, "IsWhat"))),
        Rows(org, "Opportunity", r => new Opportunity(Id(r), Text(r, "OwnerId")!, Text(r, "StageName")!, Flag(r, "IsClosed"),
            r["CloseDate"] as DateOnly?, Text(r, "NextStep"), r["LastActivityDate"] as DateOnly?, r["Amount"] as decimal?)),
        Rows(org, "OpportunityContactRole", r => new OpportunityContactRole(Text(r, "OpportunityId")!, Text(r, "ContactId"), Text(r, "Role"))),
        Rows(org, "OpportunityHistory", r => new OpportunityHistory(Text(r, "OpportunityId")!, r["CloseDate"] as DateOnly?,
            r["PrevCloseDate"] as DateOnly?, (DateTimeOffset)r["CreatedDate"]!)),
        // Deleted tasks leave the store (the sync removes them); deleted events stay, flagged.
        Rows(org, "Task", r => r["IsDeleted"] is true ? null : new ActivityTask(Id(r), Text(r, "Subject"), Text(r, "Type"), Text(r, "TaskSubtype"), Text(r, "Status"),
            Flag(r, "IsClosed"), Text(r, "OwnerId")!, Text(r, "CreatedById")!, Text(r, "WhatId"), Text(r, "WhoId"),
            r["ActivityDate"] as DateOnly?, r["CompletedDateTime"] as DateTimeOffset?, (DateTimeOffset)r["CreatedDate"]!)),
        []);

    private static T[] Rows<T>(GeneratedOrg org, string type, Func<IReadOnlyDictionary<string, object?>, T?> map) where T : class =>
        org.Records[type].Select(map).OfType<T>().ToArray();

    private static string Id(IReadOnlyDictionary<string, object?> row) => (string)row["Id"]!;

    private static string? Text(IReadOnlyDictionary<string, object?> row, string field) => row[field] as string;

    private static bool Flag(IReadOnlyDictionary<string, object?> row, string field) => row[field] is true;
}
