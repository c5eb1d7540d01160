namespace LeadRouter.SalesforceEmulator.Data;

/// <summary>
/// The built-in describe of the standard objects the emulator serves: the standard fields of Salesforce's
/// Object Reference with their API names, describe types and key prefixes, so that a record exported from a
/// real org loads unchanged. Every object starts with Id and IsDeleted (at ordinals 0 and 1) and ends with
/// the audit fields (CreatedDate, CreatedById, LastModifiedDate, LastModifiedById, SystemModstamp).
/// Compound address fields (type "address") are read-only and built from their components when read.
/// The emulated org also has the custom fields of LeadRouter's example configuration (Lead.Segment__c,
/// Opportunity.NextStepDate__c), so that a sync of an empty org finds them.
/// </summary>
internal static class StandardSchema
{
    /// <summary>Describe types for Salesforce's Name object: what a polymorphic Owner resolves to.</summary>
    public const string PolymorphicType = "Name";

    public static IReadOnlyList<ObjectDefinition> All { get; } =
    [
        Define("User", "005", [Text("Name", createable: false), Text("FirstName"), Text("LastName", nillable: false),
            Picklist("Salutation"), Text("MiddleName"), Text("Suffix"), Text("Username", nillable: false),
            Field("Email", "email", nillable: false), Text("Alias"), Text("CommunityNickname"),
            Bool("IsActive", defaultValue: true), Ref("ManagerId", "Manager", "User"), Ref("UserRoleId", "UserRole", "UserRole"),
            Ref("ProfileId", "Profile", "Profile"), ReadOnly(Picklist("UserType")), Text("Title"),
            Text("Department"), Text("Division"), Text("CompanyName"), Text("EmployeeNumber"), Field("Phone", "phone"),
            Field("MobilePhone", "phone"), Field("Fax", "phone"), Field("Extension", "phone"), .. Address(""),
            Picklist("TimeZoneSidKey"), Picklist("LocaleSidKey"), Picklist("LanguageLocaleKey"), Picklist("EmailEncodingKey"),
            ReadOnly(DateTime("LastLoginDate")), ReadOnly(DateTime("LastPasswordChangeDate")), ReadOnly(Bool("IsPortalEnabled")),
            Bool("IsProfilePhotoActive", createable: false), Ref("ContactId", "Contact", "Contact"), Ref("AccountId", "Account", "Account"),
            Ref("DelegatedApproverId", null, "User", "Group"), Ref("CallCenterId", "CallCenter", "CallCenter"),
            Text("FederationIdentifier"), Field("AboutMe", "textarea"), Field("Signature", "textarea"), Text("SenderEmail"),
            Text("SenderName"), Field("SmallPhotoUrl", "url", createable: false), Field("MediumPhotoUrl", "url", createable: false),
            Field("FullPhotoUrl", "url", createable: false), Field("BannerPhotoUrl", "url", createable: false),
            Field("SmallBannerPhotoUrl", "url", createable: false), Field("MediumBannerPhotoUrl", "url", createable: false),
            Text("BadgeText", createable: false), Picklist("DigestFrequency", nillable: false, defaultValue: "D"),
            Picklist("DefaultGroupNotificationFrequency", nillable: false, defaultValue: "N"), Bool("ForecastEnabled"),
            Bool("ReceivesInfoEmails"), Bool("ReceivesAdminInfoEmails"), Bool("IsExtIndicatorVisible", createable: false),
            ReadOnly(DateTime("OfflineTrialExpirationDate")), ReadOnly(DateTime("OfflinePdaTrialExpirationDate")),
            Text("StayInTouchSubject"), Text("StayInTouchSignature"), Text("StayInTouchNote"), Bool("EmailPreferencesAutoBcc"),
            Bool("EmailPreferencesAutoBccStayInTouch"), Bool("EmailPreferencesStayInTouchReminder"), Ref("IndividualId", "Individual", "Individual"),
            ReadOnly(DateTime("LastViewedDate")), ReadOnly(DateTime("LastReferencedDate")), ReadOnly(Int("NumberOfFailedLogins")),
            .. UserPreferences()]),
        Define("Group", "00G", [Text("Name", nillable: false), Text("DeveloperName"), Picklist("Type"),
            Field("Email", "email"), Ref("OwnerId", "Owner", nillable: false, "User", "Organization") with { DefaultedOnCreate = true },
            ReadOnly(Ref("RelatedId", "Related", "User", "UserRole")), Bool("DoesSendEmailToMembers"), Bool("DoesIncludeBosses", defaultValue: true)]),
        Define("QueueSobject", "03g", [Ref("QueueId", "Queue", nillable: false, "Group"), Picklist("SobjectType", nillable: false)]),
        Define("Event", "00U", [Field("Subject", "combobox"), Picklist("Type"), ReadOnly(Picklist("EventSubtype")),
            DateTime("StartDateTime"), DateTime("EndDateTime"), Int("DurationInMinutes"), Date("ActivityDate"),
            DateTime("ActivityDateTime"), ReadOnly(Date("EndDate")), Bool("IsAllDayEvent"), Text("Location"), Field("Description", "textarea"),
            Owner(), Ref("WhatId", "What", "Account", "Opportunity"), Ref("WhoId", "Who", "Contact", "Lead"),
            ReadOnly(Ref("AccountId", "Account", "Account")), ReadOnly(Int("WhatCount")), ReadOnly(Int("WhoCount")), Bool("IsPrivate"),
            Picklist("ShowAs", defaultValue: "Busy"), ReadOnly(Bool("IsChild")), ReadOnly(Bool("IsGroupEvent")),
            ReadOnly(Picklist("GroupEventType")), ReadOnly(Bool("IsArchived")), Bool("IsVisibleInSelfService"), Bool("IsReminderSet"),
            DateTime("ReminderDateTime"), Bool("IsRecurrence"), ReadOnly(Ref("RecurrenceActivityId", null, "Event")),
            DateTime("RecurrenceStartDateTime"), Date("RecurrenceEndDateOnly"), Picklist("RecurrenceType"), Int("RecurrenceInterval"),
            Int("RecurrenceDayOfWeekMask"), Int("RecurrenceDayOfMonth"), Picklist("RecurrenceInstance"), Picklist("RecurrenceMonthOfYear"),
            Picklist("RecurrenceTimeZoneSidKey"), ReadOnly(Bool("IsRecurrence2")), ReadOnly(Bool("IsRecurrence2Exception")),
            ReadOnly(Bool("IsRecurrence2Exclusion")), Field("Recurrence2PatternText", "textarea"), Picklist("Recurrence2PatternVersion"),
            ReadOnly(DateTime("Recurrence2PatternStartDate")), ReadOnly(Text("Recurrence2PatternTimeZone"))]),
        Define("EventRelation", "0RE", [Ref("EventId", "Event", nillable: false, "Event"),
            // With Shared Activities a relation may also be the event's account, opportunity or another record (IsWhat).
            Ref("RelationId", "Relation", nillable: false, "User", "Contact", "Lead", "Account", "Opportunity", "Calendar"),
            Picklist("Status"), Bool("IsInvitee"), Bool("IsParent"), Bool("IsWhat"), ReadOnly(Bool("IsOrganizer")),
            ReadOnly(Ref("AccountId", "Account", "Account")), DateTime("RespondedDate"), Text("Response")]),
        Define("Task", "00T", [Field("Subject", "combobox"), Picklist("Type"), Picklist("TaskSubtype"),
            Picklist("Status", nillable: false, defaultValue: "Not Started"), Picklist("Priority", nillable: false, defaultValue: "Normal"),
            ReadOnly(Bool("IsHighPriority")), Bool("IsClosed", createable: false), Owner(), Ref("WhatId", "What", "Account", "Opportunity"),
            Ref("WhoId", "Who", "Contact", "Lead"), ReadOnly(Ref("AccountId", "Account", "Account")), ReadOnly(Int("WhatCount")),
            ReadOnly(Int("WhoCount")), Date("ActivityDate"), DateTime("CompletedDateTime", createable: false), Field("Description", "textarea"),
            Text("CallDisposition"), Int("CallDurationInSeconds"), Text("CallObject"), Picklist("CallType"), ReadOnly(Bool("IsArchived")),
            Bool("IsVisibleInSelfService"), Bool("IsReminderSet"), DateTime("ReminderDateTime"), Bool("IsRecurrence"),
            ReadOnly(Ref("RecurrenceActivityId", null, "Task")), Date("RecurrenceStartDateOnly"), Date("RecurrenceEndDateOnly"),
            Picklist("RecurrenceType"), Int("RecurrenceInterval"), Int("RecurrenceDayOfWeekMask"), Int("RecurrenceDayOfMonth"),
            Picklist("RecurrenceInstance"), Picklist("RecurrenceMonthOfYear"), Picklist("RecurrenceTimeZoneSidKey"),
            Picklist("RecurrenceRegeneratedType")]),
        Define("Opportunity", "006", [Text("Name", nillable: false), Ref("AccountId", "Account", "Account"), Owner(),
            Picklist("StageName", nillable: false), Bool("IsClosed", createable: false), ReadOnly(Bool("IsWon")),
            Date("CloseDate", nillable: false), Text("NextStep"), Date("LastActivityDate", createable: false), Field("Amount", "currency"),
            Field("Probability", "percent"), ReadOnly(Field("ExpectedRevenue", "currency")), Field("TotalOpportunityQuantity", "double"),
            Picklist("Type"), Picklist("LeadSource"), Picklist("ForecastCategory"), Picklist("ForecastCategoryName"),
            ReadOnly(Text("Fiscal")), ReadOnly(Int("FiscalQuarter")), ReadOnly(Int("FiscalYear")), Field("Description", "textarea"),
            Bool("IsPrivate"), Ref("CampaignId", "Campaign", "Campaign"), Ref("Pricebook2Id", "Pricebook2", "Pricebook2"),
            Ref("ContactId", "Contact", "Contact"), Ref("ContractId", "Contract", "Contract"), ReadOnly(Bool("HasOpenActivity")),
            ReadOnly(Bool("HasOverdueTask")), ReadOnly(Bool("HasOpportunityLineItem")), ReadOnly(Int("PushCount")),
            ReadOnly(DateTime("LastStageChangeDate")), ReadOnly(Ref("LastAmountChangedHistoryId", null, "OpportunityHistory")),
            ReadOnly(Ref("LastCloseDateChangedHistoryId", null, "OpportunityHistory")), ReadOnly(DateTime("LastViewedDate")),
            ReadOnly(DateTime("LastReferencedDate")), Date("NextStepDate__c")]),
        Define("OpportunityContactRole", "00K", [Ref("OpportunityId", "Opportunity", nillable: false, "Opportunity"),
            Ref("ContactId", "Contact", nillable: false, "Contact"), Picklist("Role"), Bool("IsPrimary")]),
        Define("OpportunityHistory", "008", [ReadOnly(Ref("OpportunityId", "Opportunity", "Opportunity")), ReadOnly(Picklist("StageName")),
            ReadOnly(Field("Amount", "currency")), ReadOnly(Field("PrevAmount", "currency")), ReadOnly(Field("ExpectedRevenue", "currency")),
            ReadOnly(Date("CloseDate")), ReadOnly(Date("PrevCloseDate")), ReadOnly(Field("Probability", "percent")),
            ReadOnly(Picklist("ForecastCategory")), ReadOnly(DateTime("ValidThroughDate"))]),
        Define("Lead", "00Q", [Owner(), Picklist("Status", nillable: false, defaultValue: "Open - Not Contacted"),
            Bool("IsConverted", createable: false), ReadOnly(Date("ConvertedDate")), ReadOnly(Ref("ConvertedAccountId", "ConvertedAccount", "Account")),
            ReadOnly(Ref("ConvertedContactId", "ConvertedContact", "Contact")),
            ReadOnly(Ref("ConvertedOpportunityId", "ConvertedOpportunity", "Opportunity")), Bool("IsUnreadByOwner"), Picklist("Rating"),
            Picklist("LeadSource"), Picklist("Industry"), Field("AnnualRevenue", "currency"), Int("NumberOfEmployees"),
            Text("Company", nillable: false), Text("CompanyDunsNumber"), Picklist("Salutation"), Text("FirstName"), Text("MiddleName"),
            Text("LastName", nillable: false), Text("Suffix"), Text("Name", createable: false), Text("Title"), Field("Email", "email"),
            Field("Phone", "phone"), Field("MobilePhone", "phone"), Field("Fax", "phone"), Field("Website", "url"), .. Address(""),
            Field("Description", "textarea"), Bool("HasOptedOutOfEmail"), Bool("HasOptedOutOfFax"), Bool("DoNotCall"),
            ReadOnly(DateTime("EmailBouncedDate")), ReadOnly(Text("EmailBouncedReason")), ReadOnly(Date("LastActivityDate")),
            ReadOnly(Ref("MasterRecordId", "MasterRecord", "Lead")), Text("Jigsaw"), ReadOnly(Text("JigsawContactId")),
            ReadOnly(Picklist("CleanStatus")), ReadOnly(Field("PhotoUrl", "url")), Ref("IndividualId", "Individual", "Individual"),
            ReadOnly(DateTime("LastViewedDate")), ReadOnly(DateTime("LastReferencedDate")), Picklist("Segment__c")]),
        Define("Account", "001", [Text("Name", nillable: false), Owner(), Picklist("Type"), Picklist("Industry"), Text("AccountNumber"),
            Picklist("AccountSource"), Field("AnnualRevenue", "currency"), Int("NumberOfEmployees"), Picklist("Ownership"),
            Ref("ParentId", "Parent", "Account"), Field("Phone", "phone"), Field("Fax", "phone"), Field("Website", "url"),
            Picklist("Rating"), Text("Site"), Text("Sic"), Text("SicDesc"), Text("TickerSymbol"), Field("Description", "textarea"),
            .. Address("Billing"), .. Address("Shipping"), ReadOnly(Date("LastActivityDate")), ReadOnly(Field("PhotoUrl", "url")),
            ReadOnly(Ref("MasterRecordId", "MasterRecord", "Account")), Text("Jigsaw"), ReadOnly(Text("JigsawCompanyId")),
            ReadOnly(Picklist("CleanStatus")), ReadOnly(DateTime("LastViewedDate")), ReadOnly(DateTime("LastReferencedDate"))]),
        Define("Contact", "003", [Picklist("Salutation"), Text("FirstName"), Text("LastName", nillable: false), Text("Name", createable: false),
            Ref("AccountId", "Account", "Account"), Owner(), Text("Title"), Text("Department"), Field("Email", "email"),
            Field("Phone", "phone"), Field("MobilePhone", "phone"), Field("HomePhone", "phone"), Field("OtherPhone", "phone"),
            Field("Fax", "phone"), Text("AssistantName"), Field("AssistantPhone", "phone"), Ref("ReportsToId", "ReportsTo", "Contact"),
            Date("Birthdate"), Picklist("LeadSource"), Field("Description", "textarea"), .. Address("Mailing"), .. Address("Other"),
            Bool("HasOptedOutOfEmail"), Bool("HasOptedOutOfFax"), Bool("DoNotCall"), ReadOnly(Bool("IsEmailBounced")),
            ReadOnly(DateTime("EmailBouncedDate")), ReadOnly(Text("EmailBouncedReason")), ReadOnly(Date("LastActivityDate")),
            ReadOnly(Ref("MasterRecordId", "MasterRecord", "Contact")), Text("Jigsaw"), ReadOnly(Text("JigsawContactId")),
            ReadOnly(Picklist("CleanStatus")), ReadOnly(Field("PhotoUrl", "url")), Ref("IndividualId", "Individual", "Individual"),
            ReadOnly(DateTime("LastCURequestDate")), ReadOnly(DateTime("LastCUUpdateDate")), ReadOnly(DateTime("LastViewedDate")),
            ReadOnly(DateTime("LastReferencedDate"))]),
    ];

    // Salesforce requires Alias, CommunityNickname, ProfileId and the locale keys on a new User, and sets
    // ForecastCategory from the stage; the emulator accepts records without them (it has no profiles or stages).

    /// <summary>The user's display and notification preferences: checkboxes every exported User record carries.</summary>
    private static IEnumerable<FieldDefinition> UserPreferences() =>
        new[]
        {
            "ActivityRemindersPopup", "ApexPagesDeveloperMode", "CacheDiagnostics", "ContentEmailAsAndWhen", "ContentNoEmail",
            "CreateLEXAppsWTShown", "DisCommentAfterLikeEmail", "DisMentionsCommentEmail", "DisProfPostCommentEmail",
            "DisableAllFeedsEmail", "DisableBookmarkEmail", "DisableChangeCommentEmail", "DisableEndorsementEmail",
            "DisableFileShareNotificationsForApi", "DisableFollowersEmail", "DisableLaterCommentEmail", "DisableLikeEmail",
            "DisableMentionsPostEmail", "DisableMessageEmail", "DisableProfilePostEmail", "DisableSharePostEmail",
            "EnableAutoSubForFeeds", "EventRemindersCheckboxDefault", "ExcludeMailAppAttachments",
            "FavoritesShowTopFavorites", "FavoritesWTShown", "GlobalNavBarWTShown", "GlobalNavGridMenuWTShown", "HasCelebrationBadge",
            "HideBiggerPhotoCallout",
            "HideCSNDesktopTask", "HideCSNGetChatterMobileTask", "HideChatterOnboardingSplash", "HideEndUserOnboardingAssistantModal",
            "HideLightningMigrationModal", "HideS1BrowserUI", "HideSecondChatterOnboardingSplash", "HideSfxWelcomeMat",
            "LightningExperiencePreferred", "NativeEmailClient", "NewLightningReportRunPageEnabled", "PathAssistantCollapsed",
            "PreviewCustomTheme", "PreviewLightning", "RecordHomeReservedWTShown", "RecordHomeSectionCollapseWTShown",
            "ReminderSoundOff", "ReverseOpenActivitiesView", "ShowCityToExternalUsers", "ShowCityToGuestUsers", "ShowCountryToExternalUsers", "ShowCountryToGuestUsers",
            "ShowEmailToExternalUsers", "ShowEmailToGuestUsers", "ShowFaxToExternalUsers", "ShowFaxToGuestUsers",
            "ShowManagerToExternalUsers", "ShowManagerToGuestUsers", "ShowMobilePhoneToExternalUsers", "ShowMobilePhoneToGuestUsers",
            "ShowPostalCodeToExternalUsers", "ShowPostalCodeToGuestUsers", "ShowProfilePicToGuestUsers", "ShowStateToExternalUsers",
            "ShowStateToGuestUsers", "ShowStreetAddressToExternalUsers", "ShowStreetAddressToGuestUsers", "ShowTitleToExternalUsers",
            "ShowTitleToGuestUsers", "ShowWorkPhoneToExternalUsers", "ShowWorkPhoneToGuestUsers", "SortFeedByComment",
            "SuppressEventSFXReminders", "SuppressTaskSFXReminders", "TaskRemindersCheckboxDefault", "UserDebugModePref",
        }.Select(name => Bool("UserPreferences" + name));

    /// <summary>
    /// An address: its components (Street, City, ..., prefixed as in BillingStreet) and the compound field
    /// (Address, BillingAddress) Salesforce builds from them. The compound field is read-only.
    /// </summary>
    private static FieldDefinition[] Address(string prefix) =>
    [
        Field(prefix + "Street", "textarea"), Text(prefix + "City"), Text(prefix + "State"), Text(prefix + "PostalCode"),
        Text(prefix + "Country"), Picklist(prefix + "StateCode"), Picklist(prefix + "CountryCode"), Field(prefix + "Latitude", "double"),
        Field(prefix + "Longitude", "double"), Picklist(prefix + "GeocodeAccuracy"), ReadOnly(Field(prefix + "Address", "address")),
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
            ReadOnly(Ref("CreatedById", "CreatedBy", nillable: false, "User")),
            ReadOnly(DateTime("LastModifiedDate", nillable: false)),
            ReadOnly(Ref("LastModifiedById", "LastModifiedBy", nillable: false, "User")),
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
