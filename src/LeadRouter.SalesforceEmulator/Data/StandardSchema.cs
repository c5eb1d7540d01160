namespace LeadRouter.SalesforceEmulator.Data;

/// <summary>
/// The built-in describe of the standard objects LeadRouter reads, with Salesforce's API names,
/// field types and key prefixes. Every object starts with Id and IsDeleted (at ordinals 0 and 1)
/// and carries CreatedDate, LastModifiedDate and SystemModstamp.
/// </summary>
internal static class StandardSchema
{
    /// <summary>Describe types for Salesforce's Name object: what a polymorphic Owner resolves to.</summary>
    public const string PolymorphicType = "Name";

    public static IReadOnlyList<ObjectDefinition> All { get; } =
    [
        Define("User", "005", [Text("Name", createable: false), Text("FirstName"), Text("LastName", nillable: false),
            Text("Username", nillable: false), Field("Email", "email", nillable: false), Bool("IsActive", defaultValue: true),
            Ref("ManagerId", "Manager", "User"), Ref("UserRoleId", null, "UserRole"), Text("Country"),
            Picklist("TimeZoneSidKey")]),
        Define("Group", "00G", [Text("Name", nillable: false), Text("DeveloperName"), Picklist("Type")]),
        Define("QueueSobject", "03g", [Ref("QueueId", "Queue", nillable: false, "Group"), Picklist("SobjectType", nillable: false)]),
        Define("Event", "00U", [Text("Subject"), Picklist("Type"), DateTime("StartDateTime"), DateTime("EndDateTime"),
            Int("DurationInMinutes"), Bool("IsAllDayEvent"), Owner(), Ref("WhatId", "What", "Account", "Opportunity"),
            Ref("WhoId", "Who", "Contact", "Lead"), CreatedBy(), Picklist("ShowAs"), Bool("IsRecurrence"),
            Ref("RecurrenceActivityId", null, "Event"), DateTime("RecurrenceStartDateTime"), Date("RecurrenceEndDateOnly"),
            Picklist("RecurrenceType"), Int("RecurrenceInterval"), Int("RecurrenceDayOfWeekMask"), Picklist("RecurrenceTimeZoneSidKey")]),
        Define("EventRelation", "0RE", [Ref("EventId", "Event", nillable: false, "Event"),
            Ref("RelationId", "Relation", nillable: false, "User", "Contact", "Lead"), Picklist("Status"), Bool("IsInvitee"),
            Bool("IsParent"), Bool("IsWhat")]),
        Define("Task", "00T", [Text("Subject"), Picklist("Type"), Picklist("TaskSubtype"), Picklist("Status", nillable: false, defaultValue: "Not Started"),
            Bool("IsClosed", createable: false), Owner(), CreatedBy(), Ref("WhatId", "What", "Account", "Opportunity"),
            Ref("WhoId", "Who", "Contact", "Lead"), Date("ActivityDate"), DateTime("CompletedDateTime", createable: false)]),
        Define("Opportunity", "006", [Text("Name", nillable: false), Ref("AccountId", "Account", "Account"), Owner(),
            Picklist("StageName", nillable: false), Bool("IsClosed", createable: false), Date("CloseDate", nillable: false),
            Text("NextStep"), Date("LastActivityDate", createable: false), Field("Amount", "currency"), Date("NextStepDate__c")]),
        Define("OpportunityContactRole", "00K", [Ref("OpportunityId", "Opportunity", nillable: false, "Opportunity"),
            Ref("ContactId", "Contact", nillable: false, "Contact"), Picklist("Role"), Bool("IsPrimary")]),
        Define("OpportunityHistory", "008", [ReadOnly(Ref("OpportunityId", "Opportunity", "Opportunity")), ReadOnly(Picklist("StageName")),
            ReadOnly(Field("Amount", "currency")), ReadOnly(Date("CloseDate")), ReadOnly(Date("PrevCloseDate"))]),
        Define("Lead", "00Q", [Owner(), Picklist("Status", nillable: false, defaultValue: "Open - Not Contacted"),
            Bool("IsConverted", createable: false), Picklist("Rating"), Picklist("LeadSource"), Picklist("Industry"),
            Field("AnnualRevenue", "currency"), Int("NumberOfEmployees"), Text("Country"), Text("State"),
            Text("Company", nillable: false), Text("FirstName"), Text("LastName", nillable: false), Text("Name", createable: false),
            Field("Email", "email")]),
        Define("Account", "001", [Text("Name", nillable: false), Owner(), Picklist("Industry")]),
        Define("Contact", "003", [Text("FirstName"), Text("LastName", nillable: false), Text("Name", createable: false),
            Field("Email", "email"), Ref("AccountId", "Account", "Account"), Owner()]),
    ];

    private static ObjectDefinition Define(string name, string keyPrefix, FieldDefinition[] fields)
    {
        FieldDefinition[] system =
        [
            ReadOnly(Field("Id", "id", nillable: false)),
            ReadOnly(Bool("IsDeleted")),
        ];
        FieldDefinition[] audit =
        [
            ReadOnly(DateTime("CreatedDate", nillable: false)),
            ReadOnly(DateTime("LastModifiedDate", nillable: false)),
            ReadOnly(DateTime("SystemModstamp", nillable: false)),
        ];
        return new ObjectDefinition(name, keyPrefix, [.. system, .. fields, .. audit]);
    }

    private static FieldDefinition Field(string name, string type, bool nillable = true, bool createable = true, object? defaultValue = null) =>
        new(new SObjectField(name, type, nillable, Updateable: createable, createable, [], null), defaultValue);

    private static FieldDefinition Text(string name, bool nillable = true, bool createable = true) =>
        Field(name, "string", nillable, createable);

    private static FieldDefinition Picklist(string name, bool nillable = true, string? defaultValue = null) =>
        Field(name, "picklist", nillable, defaultValue: defaultValue);

    // Salesforce booleans are never null: they default to false (or the given default).
    private static FieldDefinition Bool(string name, bool createable = true, bool defaultValue = false) =>
        Field(name, "boolean", nillable: false, createable, defaultValue);

    private static FieldDefinition Int(string name) => Field(name, "int");

    private static FieldDefinition Date(string name, bool nillable = true, bool createable = true) =>
        Field(name, "date", nillable, createable);

    private static FieldDefinition DateTime(string name, bool nillable = true, bool createable = true) =>
        Field(name, "datetime", nillable, createable);

    private static FieldDefinition Ref(string name, string? relationship, params string[] referenceTo) =>
        Ref(name, relationship, nillable: true, referenceTo);

    private static FieldDefinition Ref(string name, string? relationship, bool nillable, params string[] referenceTo) =>
        new(new SObjectField(name, "reference", nillable, true, true, referenceTo, relationship), null);

    // Salesforce makes the running user the owner when none is given; the emulator has no running user,
    // so an insert without OwnerId leaves it empty rather than failing.
    private static FieldDefinition Owner() => Ref("OwnerId", "Owner", nillable: false, "User", "Group") with { DefaultedOnCreate = true };

    private static FieldDefinition CreatedBy() => ReadOnly(Ref("CreatedById", "CreatedBy", nillable: false, "User"));

    private static FieldDefinition ReadOnly(FieldDefinition field) =>
        field with { Field = field.Field with { Createable = false, Updateable = false } };
}

/// <summary>A built-in object: its describe plus the values Salesforce fills in on insert.</summary>
internal sealed record ObjectDefinition(string Name, string KeyPrefix, IReadOnlyList<FieldDefinition> Fields);

internal sealed record FieldDefinition(SObjectField Field, object? DefaultValue)
{
    /// <summary>Salesforce fills it on insert when absent, so it is not reported missing.</summary>
    public bool DefaultedOnCreate { get; init; }
}
