using LeadRouter.Org;
using LeadRouter.Salesforce;
using LeadRouter.SalesforceEmulator;
using LeadRouter.SalesforceEmulator.Data;
using LeadRouter.SalesforceEmulator.Generation;
using LeadRouter.Storage;
using LeadRouter.Sync;

namespace LeadRouter.IntegrationTests.Sync;

/// <summary>
/// The generated orgs the sync tests pull and the plumbing around a pull: an in-process emulator,
/// a Salesforce client signed in to it with the emulator's test credentials, a sync over a store.
/// </summary>
internal static class SyncTestOrg
{
    /// <summary>
    /// The generated history ends here, weeks before the emulator's clock (the real one): every change a
    /// test makes in the emulator is stamped after every generated row.
    /// </summary>
    public static readonly DateTimeOffset AsOf = new(2026, 10, 5, 6, 0, 0, TimeSpan.Zero);

    public const int Seed = 20261005;

    private static readonly Lazy<GeneratedOrg> MediumOrg = new(() => OrgGenerator.Generate(OrgSize.Medium, Seed, AsOf));
    private static readonly Lazy<GeneratedOrg> SmallOrg = new(() => OrgGenerator.Generate(OrgSize.Small, Seed, AsOf));

    public static GeneratedOrg Medium => MediumOrg.Value;

    public static GeneratedOrg Small => SmallOrg.Value;

    /// <summary>The history window's start as the sync computes it (12 weeks before <see cref="AsOf"/>).</summary>
    public static DateTimeOffset HistoryStart => AsOf.AddDays(-7 * new SyncOptions().HistoryWeeks);

    public static Task<EmulatorHost> StartEmulatorAsync(GeneratedOrg org) => StartEmulatorAsync(org.Records);

    public static Task<EmulatorHost> StartEmulatorAsync(IReadOnlyDictionary<string, IReadOnlyList<IReadOnlyDictionary<string, object?>>> records) =>
        EmulatorHost.StartAsync(new EmulatorOptions(), OrgStore.Create(records));

    /// <summary>
    /// The generator writes only the 12 weeks of history: add records from a year before, which a pull
    /// must leave behind (a closed task, an event, a closed opportunity, a converted lead), and their ids.
    /// </summary>
    public static (IReadOnlyDictionary<string, IReadOnlyList<IReadOnlyDictionary<string, object?>>> Records, IReadOnlyList<string> OldIds)
        WithOldHistory(GeneratedOrg org)
    {
        var old = AsOf.AddDays(-400);
        var records = new Dictionary<string, IReadOnlyList<IReadOnlyDictionary<string, object?>>>(org.Records);
        var oldIds = new List<string>();
        void AddOld(string objectName, string keyPrefix, Func<IReadOnlyDictionary<string, object?>, bool> like)
        {
            var copy = new Dictionary<string, object?>(records[objectName].First(r => r["IsDeleted"] is false && like(r)));
            copy["Id"] = SalesforceId.Create(keyPrefix, 9_000_000);
            foreach (var field in new[] { "CreatedDate", "LastModifiedDate", "SystemModstamp", "CompletedDateTime", "StartDateTime" })
            {
                if (copy.ContainsKey(field))
                    copy[field] = old;
            }
            foreach (var field in new[] { "EndDateTime" })
            {
                if (copy.ContainsKey(field))
                    copy[field] = old.AddHours(1);
            }
            foreach (var field in new[] { "ActivityDate", "CloseDate", "ConvertedDate" })
            {
                if (copy.ContainsKey(field))
                    copy[field] = DateOnly.FromDateTime(old.UtcDateTime);
            }
            records[objectName] = [.. records[objectName], copy];
            oldIds.Add((string)copy["Id"]!);
        }
        AddOld("Task", "00T", r => r["IsClosed"] is true);
        AddOld("Event", "00U", r => r["IsAllDayEvent"] is false);
        AddOld("Opportunity", "006", r => r["IsClosed"] is true);
        AddOld("Lead", "00Q", r => r["IsConverted"] is true);
        return (records, oldIds);
    }

    /// <summary>
    /// A client of the emulator. Retries wait a few milliseconds (the emulator's Retry-After of one second
    /// is capped by RetryMaxDelay), so fault tests stay fast.
    /// </summary>
    public static Salesforce.SalesforceClient Client(EmulatorHost emulator, HttpMessageHandler? handler = null, int maxRetries = 4) =>
        new(handler is null ? new HttpClient() : new HttpClient(handler), new SalesforceOptions
        {
            LoginUrl = emulator.BaseAddress,
            AuthFlow = SalesforceAuthFlow.UsernamePassword,
            ClientId = EmulatorOptions.DefaultClientId,
            ClientSecret = EmulatorOptions.DefaultClientSecret,
            Username = EmulatorOptions.DefaultUsername,
            Password = EmulatorOptions.DefaultPassword,
            MaxRetries = maxRetries,
            RetryBaseDelay = TimeSpan.FromMilliseconds(5),
            RetryMaxDelay = TimeSpan.FromMilliseconds(5),
        });

    /// <summary>
    /// A sync with the default page size (2,000) and API budget share, as the client above. Its reads page
    /// through REST unless the options given turn Bulk API 2.0 on (the REST pages are what most tests count).
    /// </summary>
    public static SalesforceSync Sync(Salesforce.SalesforceClient client, LeadRouterDatabase database, SyncOptions? options = null) =>
        new(client, database, new SalesforceOptions(), options ?? Rest);

    /// <summary>The default sync options with Bulk API 2.0 off.</summary>
    public static SyncOptions Rest => new() { UseBulkApi = false };
}
