using System.Globalization;
using System.Text.Json.Nodes;
using LeadRouter.Org;

namespace LeadRouter.IntegrationTests.RealOrg;

/// <summary>
/// An org file shaped as a real org exports it (REST records with "attributes", nulls, compound addresses,
/// the standard fields of each object), holding a manager's weekly 1:1s with two reps as recurring series
/// set up 200 days before the as-of moment: the series master, its weekly occurrences and every invitation
/// were created then and never changed. Ann accepted every occurrence; Ben declined every third.
/// </summary>
internal sealed class RealOrgFile
{
    public const int SeriesAgeDays = 200;

    /// <summary>A Monday morning to build the org for when the as-of moment does not matter to a test.</summary>
    public static readonly DateTimeOffset ExampleAsOf = new(2026, 10, 5, 6, 0, 0, TimeSpan.Zero);

    public static readonly string ManagerId = SalesforceId.Create("005", 1);
    public static readonly string AnnId = SalesforceId.Create("005", 2);
    public static readonly string BenId = SalesforceId.Create("005", 3);
    public static readonly string QueueId = SalesforceId.Create("00G", 1);
    public static readonly string AccountId = SalesforceId.Create("001", 1);
    public static readonly string ContactId = SalesforceId.Create("003", 1);
    public static readonly string OpportunityId = SalesforceId.Create("006", 1);
    public static readonly string LeadId = SalesforceId.Create("00Q", 1);
    public static readonly string TaskId = SalesforceId.Create("00T", 1);

    private readonly JsonObject _org = [];
    private readonly DateTimeOffset _created;
    private int _events;
    private int _relations;

    public RealOrgFile(DateTimeOffset asOf)
    {
        AsOf = asOf;
        _created = asOf.AddDays(-SeriesAgeDays);
        AddUser(ManagerId, "Maria", "Manager", managerId: null);
        AddUser(AnnId, "Ann", "Rep", ManagerId);
        AddUser(BenId, "Ben", "Rep", ManagerId);
        AddSeries(AnnId, declines: _ => false);
        AddSeries(BenId, declines: n => n % 3 == 2);
        AddPipeline();
    }

    public DateTimeOffset AsOf { get; }

    /// <summary>Every occurrence of the two series, by rep: its id, start and whether the rep declined it.</summary>
    public Dictionary<string, List<(string EventId, DateTimeOffset Start, bool Declined)>> Occurrences { get; } = [];

    /// <summary>The series masters (IsRecurrence) and an invitee's child copy (IsChild): not meetings of their own.</summary>
    public List<string> NotMeetings { get; } = [];

    public string Json => _org.ToJsonString();

    private JsonArray Records(string type)
    {
        if (_org[type] is not JsonArray records)
            _org[type] = records = [];
        return records;
    }

    private JsonObject Add(string type, string id, JsonObject fields, DateTimeOffset? created = null, string? createdBy = null)
    {
        var stamp = Moment(created ?? _created);
        var record = new JsonObject
        {
            ["attributes"] = new JsonObject { ["type"] = type, ["url"] = $"/services/data/v62.0/sobjects/{type}/{id}" },
            ["Id"] = id,
            ["IsDeleted"] = false,
        };
        foreach (var (name, value) in fields)
            record[name] = value?.DeepClone();
        record["CreatedDate"] = stamp;
        record["CreatedById"] = createdBy ?? ManagerId;
        record["LastModifiedDate"] = stamp;
        record["LastModifiedById"] = createdBy ?? ManagerId;
        record["SystemModstamp"] = stamp;
        Records(type).Add(record);
        return record;
    }

    private void AddUser(string id, string first, string last, string? managerId) => Add("User", id, new JsonObject
    {
        ["Username"] = $"{first.ToLowerInvariant()}@acme.example", ["FirstName"] = first, ["LastName"] = last, ["Name"] = $"{first} {last}",
        ["Salutation"] = null, ["MiddleName"] = null, ["Suffix"] = null, ["Alias"] = first[..3].ToLowerInvariant(),
        ["CommunityNickname"] = first.ToLowerInvariant(), ["Email"] = $"{first.ToLowerInvariant()}@acme.example",
        ["IsActive"] = true, ["ManagerId"] = managerId, ["UserRoleId"] = null, ["ProfileId"] = SalesforceId.Create("00e", 1),
        ["UserType"] = "Standard", ["Title"] = managerId is null ? "Sales Manager" : "Account Executive", ["Department"] = "Sales",
        ["Division"] = "EMEA", ["CompanyName"] = "Acme", ["Phone"] = "+44 20 7946 0000", ["MobilePhone"] = null,
        ["Street"] = "1 Market Street", ["City"] = "London", ["State"] = null, ["PostalCode"] = "EC1A 1BB", ["Country"] = "United Kingdom",
        ["Latitude"] = null, ["Longitude"] = null, ["GeocodeAccuracy"] = null,
        ["Address"] = new JsonObject
        {
            ["city"] = "London", ["country"] = "United Kingdom", ["geocodeAccuracy"] = null, ["latitude"] = null, ["longitude"] = null,
            ["postalCode"] = "EC1A 1BB", ["state"] = null, ["street"] = "1 Market Street",
        },
        ["TimeZoneSidKey"] = "Europe/London", ["LocaleSidKey"] = "en_GB", ["LanguageLocaleKey"] = "en_US", ["EmailEncodingKey"] = "UTF-8",
        ["LastLoginDate"] = Moment(AsOf.AddDays(-1)), ["IsPortalEnabled"] = false, ["UserPreferencesLightningExperiencePreferred"] = true,
        ["UserPreferencesHideS1BrowserUI"] = false, ["DigestFrequency"] = "D", ["DefaultGroupNotificationFrequency"] = "N",
    });

    /// <summary>
    /// A weekly Tuesday 10:00 UTC 1:1 the manager owns with the rep invited, from the day after it was set up
    /// to four weeks after the as-of moment; the manager's series master describes it.
    /// </summary>
    private void AddSeries(string repId, Func<int, bool> declines)
    {
        var first = _created.UtcDateTime.Date.AddDays(1);
        while (first.DayOfWeek != DayOfWeek.Tuesday)
            first = first.AddDays(1);
        var firstStart = new DateTimeOffset(first.AddHours(10), TimeSpan.Zero);
        var last = AsOf.AddDays(28);
        var rep = Records("User").OfType<JsonObject>().Single(u => (string?)u["Id"] == repId)["FirstName"]!.GetValue<string>();
        var subject = $"1:1 {rep} / Maria";

        var masterId = NextEventId();
        Add("Event", masterId, EventFields(subject, firstStart, isRecurrence: true, recurrenceOf: null, ownerId: ManagerId, isChild: false, new JsonObject
        {
            ["RecurrenceStartDateTime"] = Moment(firstStart), ["RecurrenceEndDateOnly"] = Day(last), ["RecurrenceType"] = "RecursWeekly",
            ["RecurrenceInterval"] = 1, ["RecurrenceDayOfWeekMask"] = 4, ["RecurrenceTimeZoneSidKey"] = "Europe/London",
        }));
        NotMeetings.Add(masterId);
        AddRelation(masterId, repId, declined: false);

        var occurrences = Occurrences[repId] = [];
        var n = 0;
        for (var start = firstStart; start < last; start = start.AddDays(7), n++)
        {
            var id = NextEventId();
            Add("Event", id, EventFields(subject, start, isRecurrence: false, recurrenceOf: masterId, ownerId: ManagerId, isChild: false, []));
            AddRelation(id, repId, declines(n));
            occurrences.Add((id, start, declines(n)));
        }

        // The rep's own calendar copy of the latest past occurrence: the same meeting, owned by the invitee.
        var copied = occurrences.Last(o => o.Start < AsOf);
        var childId = NextEventId();
        Add("Event", childId, EventFields(subject, copied.Start, isRecurrence: false, recurrenceOf: masterId, ownerId: repId, isChild: true, []));
        NotMeetings.Add(childId);
    }

    /// <summary>A week off: an all-day out-of-office event of the rep's, Monday to Friday of the given Monday's week.</summary>
    public void AddWeekOff(string repId, DateTimeOffset monday)
    {
        var fields = EventFields("Vacation", monday, isRecurrence: false, recurrenceOf: null, ownerId: repId, isChild: false, []);
        fields["Type"] = null;
        fields["IsAllDayEvent"] = true;
        fields["ShowAs"] = "OutOfOffice";
        fields["EndDateTime"] = Moment(monday.AddDays(5));
        fields["DurationInMinutes"] = 5 * 24 * 60;
        fields["IsGroupEvent"] = false;
        Add("Event", NextEventId(), fields, createdBy: repId);
    }

    /// <summary>
    /// A meeting the rep holds with the contact as its only customer link (WhoId, no WhatId) and, Shared Activities
    /// style, the contact's EventRelation row (IsParent, not invited).
    /// </summary>
    public void AddCustomerMeeting(string repId, DateTimeOffset start)
    {
        var id = NextEventId();
        var fields = EventFields("Demo for Hank", start, isRecurrence: false, recurrenceOf: null, ownerId: repId, isChild: false, []);
        fields["Type"] = "Meeting";
        fields["WhoId"] = ContactId;
        fields["WhoCount"] = 1;
        fields["IsGroupEvent"] = false;
        Add("Event", id, fields, createdBy: repId);
        Add("EventRelation", SalesforceId.Create("0RE", ++_relations), new JsonObject
        {
            ["EventId"] = id, ["RelationId"] = ContactId, ["Status"] = null, ["IsInvitee"] = false, ["IsParent"] = true, ["IsWhat"] = false,
            ["AccountId"] = AccountId, ["RespondedDate"] = null, ["Response"] = null,
        }, createdBy: repId);
    }

    private static JsonObject EventFields(string subject, DateTimeOffset start, bool isRecurrence, string? recurrenceOf, string ownerId,
        bool isChild, JsonObject recurrence)
    {
        var fields = new JsonObject
        {
            ["Subject"] = subject, ["Type"] = "Pipeline Review", ["EventSubtype"] = "Event", ["StartDateTime"] = Moment(start),
            ["EndDateTime"] = Moment(start.AddMinutes(30)), ["DurationInMinutes"] = 30, ["ActivityDate"] = Day(start),
            ["ActivityDateTime"] = Moment(start), ["EndDate"] = Day(start), ["IsAllDayEvent"] = false, ["Location"] = "Zoom",
            ["Description"] = "Weekly pipeline review:\nopen deals, next steps, decision makers.", ["OwnerId"] = ownerId, ["WhatId"] = null,
            ["WhoId"] = null, ["AccountId"] = null, ["WhatCount"] = 0, ["WhoCount"] = 0, ["IsPrivate"] = false, ["ShowAs"] = "Busy",
            ["IsChild"] = isChild, ["IsGroupEvent"] = true, ["GroupEventType"] = "1", ["IsArchived"] = false, ["IsVisibleInSelfService"] = false,
            ["IsReminderSet"] = false, ["ReminderDateTime"] = null, ["IsRecurrence"] = isRecurrence, ["RecurrenceActivityId"] = recurrenceOf,
            ["RecurrenceStartDateTime"] = null, ["RecurrenceEndDateOnly"] = null, ["RecurrenceType"] = null, ["RecurrenceInterval"] = null,
            ["RecurrenceDayOfWeekMask"] = null, ["RecurrenceDayOfMonth"] = null, ["RecurrenceInstance"] = null,
            ["RecurrenceMonthOfYear"] = null, ["RecurrenceTimeZoneSidKey"] = null, ["IsRecurrence2"] = false,
            ["IsRecurrence2Exception"] = false, ["IsRecurrence2Exclusion"] = false, ["Recurrence2PatternText"] = null,
            ["Recurrence2PatternVersion"] = null,
        };
        foreach (var (name, value) in recurrence)
            fields[name] = value?.DeepClone();
        return fields;
    }

    private void AddRelation(string eventId, string relationId, bool declined) =>
        Add("EventRelation", SalesforceId.Create("0RE", ++_relations), new JsonObject
        {
            ["EventId"] = eventId, ["RelationId"] = relationId, ["Status"] = declined ? "Declined" : "Accepted", ["IsInvitee"] = true,
            ["IsParent"] = false, ["IsWhat"] = false, ["AccountId"] = null, ["RespondedDate"] = Moment(_created.AddHours(2)),
            ["Response"] = declined ? "Out that day" : null,
        });

    /// <summary>An account, contact, open opportunity (contact role, history, open task) and a queued lead, all made long ago.</summary>
    private void AddPipeline()
    {
        Add("Group", QueueId, new JsonObject
        {
            ["Name"] = "Inbound Leads", ["DeveloperName"] = "Inbound_Leads", ["Type"] = "Queue", ["Email"] = null, ["OwnerId"] = ManagerId,
            ["RelatedId"] = null, ["DoesSendEmailToMembers"] = false, ["DoesIncludeBosses"] = true,
        });
        Add("QueueSobject", SalesforceId.Create("03g", 1), new JsonObject { ["QueueId"] = QueueId, ["SobjectType"] = "Lead" });
        Add("Account", AccountId, new JsonObject
        {
            ["Name"] = "Globex", ["OwnerId"] = AnnId, ["Type"] = "Prospect", ["Industry"] = "Manufacturing", ["AnnualRevenue"] = 12_000_000,
            ["NumberOfEmployees"] = 240, ["Phone"] = "+44 161 496 0000", ["Website"] = "https://globex.example", ["BillingStreet"] = "5 Mill Lane",
            ["BillingCity"] = "Manchester", ["BillingPostalCode"] = "M1 1AA", ["BillingCountry"] = "United Kingdom",
            ["BillingAddress"] = new JsonObject { ["city"] = "Manchester", ["country"] = "United Kingdom", ["postalCode"] = "M1 1AA", ["street"] = "5 Mill Lane" },
            ["ShippingAddress"] = null, ["ParentId"] = null, ["Description"] = null,
        });
        Add("Contact", ContactId, new JsonObject
        {
            ["FirstName"] = "Hank", ["LastName"] = "Scorpio", ["Name"] = "Hank Scorpio", ["AccountId"] = AccountId, ["OwnerId"] = AnnId,
            ["Title"] = "CFO", ["Email"] = "hank@globex.example", ["Phone"] = null, ["MailingCity"] = "Manchester",
            ["MailingAddress"] = new JsonObject { ["city"] = "Manchester" }, ["OtherAddress"] = null, ["Birthdate"] = null,
            ["HasOptedOutOfEmail"] = false, ["DoNotCall"] = false,
        });
        var closeDate = DateOnly.FromDateTime(AsOf.UtcDateTime).AddDays(45);
        Add("Opportunity", OpportunityId, new JsonObject
        {
            ["Name"] = "Globex - Line 2", ["AccountId"] = AccountId, ["OwnerId"] = AnnId, ["StageName"] = "Negotiation/Review",
            ["IsClosed"] = false, ["IsWon"] = false, ["CloseDate"] = closeDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["NextStep"] = "Send the revised proposal", ["LastActivityDate"] = Day(AsOf.AddDays(-3)), ["Amount"] = 180_000.0,
            ["Probability"] = 80, ["ExpectedRevenue"] = 144_000.0, ["TotalOpportunityQuantity"] = 2.5, ["Type"] = "New Business",
            ["LeadSource"] = "Partner Referral", ["ForecastCategory"] = "Commit", ["ForecastCategoryName"] = "Commit",
            ["Fiscal"] = $"{closeDate.Year} {(closeDate.Month - 1) / 3 + 1}", ["FiscalQuarter"] = (closeDate.Month - 1) / 3 + 1,
            ["FiscalYear"] = closeDate.Year, ["Description"] = null, ["IsPrivate"] = false, ["CampaignId"] = null, ["Pricebook2Id"] = null,
            ["HasOpenActivity"] = true, ["HasOverdueTask"] = false, ["HasOpportunityLineItem"] = false, ["PushCount"] = 0,
            ["LastStageChangeDate"] = Moment(_created), ["NextStepDate__c"] = null,
        }, createdBy: AnnId);
        Add("OpportunityContactRole", SalesforceId.Create("00K", 1), new JsonObject
        {
            ["OpportunityId"] = OpportunityId, ["ContactId"] = ContactId, ["Role"] = "Economic Buyer", ["IsPrimary"] = true,
        }, createdBy: AnnId);
        Add("OpportunityHistory", SalesforceId.Create("008", 1), new JsonObject
        {
            ["OpportunityId"] = OpportunityId, ["StageName"] = "Negotiation/Review", ["Amount"] = 180_000.0, ["PrevAmount"] = null,
            ["ExpectedRevenue"] = 144_000.0, ["CloseDate"] = closeDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ["PrevCloseDate"] = null,
            ["Probability"] = 80, ["ForecastCategory"] = "Commit",
        }, createdBy: AnnId);
        // Three weeks ago the close date moved out by a month: the history that matters to the window.
        Add("OpportunityHistory", SalesforceId.Create("008", 2), new JsonObject
        {
            ["OpportunityId"] = OpportunityId, ["StageName"] = "Negotiation/Review", ["Amount"] = 180_000.0, ["PrevAmount"] = 180_000.0,
            ["ExpectedRevenue"] = 144_000.0, ["CloseDate"] = closeDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["PrevCloseDate"] = closeDate.AddMonths(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ["Probability"] = 80,
            ["ForecastCategory"] = "Commit",
        }, created: AsOf.AddDays(-21), createdBy: AnnId);
        Add("Task", TaskId, new JsonObject
        {
            ["Subject"] = "Call Hank about the revised proposal", ["Type"] = "Call", ["TaskSubtype"] = "Call", ["Status"] = "Not Started",
            ["Priority"] = "High", ["IsHighPriority"] = true, ["IsClosed"] = false, ["OwnerId"] = AnnId, ["WhatId"] = OpportunityId,
            ["WhoId"] = ContactId, ["AccountId"] = AccountId, ["ActivityDate"] = Day(AsOf.AddDays(2)), ["CompletedDateTime"] = null,
            ["Description"] = null, ["CallType"] = "Outbound", ["CallDurationInSeconds"] = null, ["CallDisposition"] = null,
            ["CallObject"] = null, ["IsArchived"] = false, ["IsRecurrence"] = false, ["IsReminderSet"] = true,
            ["ReminderDateTime"] = Moment(AsOf.AddDays(2).AddHours(-1)), ["RecurrenceActivityId"] = null, ["WhatCount"] = 1, ["WhoCount"] = 1,
        }, createdBy: AnnId);
        Add("Lead", LeadId, new JsonObject
        {
            ["OwnerId"] = QueueId, ["Status"] = "Open - Not Contacted", ["IsConverted"] = false, ["ConvertedDate"] = null,
            ["ConvertedAccountId"] = null, ["ConvertedContactId"] = null, ["ConvertedOpportunityId"] = null, ["IsUnreadByOwner"] = true,
            ["Rating"] = "Hot", ["LeadSource"] = "Web", ["Industry"] = "Energy", ["AnnualRevenue"] = 3_500_000, ["NumberOfEmployees"] = 55,
            ["Company"] = "Initech", ["Salutation"] = "Ms.", ["FirstName"] = "Joanna", ["LastName"] = "Lumbergh", ["Name"] = "Joanna Lumbergh",
            ["Title"] = "Head of Operations", ["Email"] = "joanna@initech.example", ["Phone"] = "+1 512 555 0100", ["MobilePhone"] = null,
            ["Website"] = "https://initech.example", ["Street"] = "4120 Freidrich Lane", ["City"] = "Austin", ["State"] = "TX",
            ["PostalCode"] = "78744", ["Country"] = "USA", ["Latitude"] = 30.2, ["Longitude"] = -97.7, ["GeocodeAccuracy"] = "Address",
            ["Address"] = new JsonObject
            {
                ["city"] = "Austin", ["country"] = "USA", ["geocodeAccuracy"] = "Address", ["latitude"] = 30.2, ["longitude"] = -97.7,
                ["postalCode"] = "78744", ["state"] = "TX", ["street"] = "4120 Freidrich Lane",
            },
            ["Description"] = "Asked for a demo at the trade show.", ["LastActivityDate"] = null, ["HasOptedOutOfEmail"] = false,
            ["Segment__c"] = "Mid-Market",
        }, created: AsOf.AddDays(-2));
    }

    private string NextEventId() => SalesforceId.Create("00U", ++_events);

    private static string Moment(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+0000'", CultureInfo.InvariantCulture);

    private static string Day(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
