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

    public static Task<EmulatorHost> StartEmulatorAsync(GeneratedOrg org) =>
        EmulatorHost.StartAsync(new EmulatorOptions(), OrgStore.Create(org.Records));

    /// <summary>
    /// A client of the emulator. Retries wait a few milliseconds (the emulator's Retry-After of one second
    /// is capped by RetryMaxDelay), so fault tests stay fast.
    /// </summary>
    public static SalesforceClient Client(EmulatorHost emulator, HttpMessageHandler? handler = null, int maxRetries = 4) =>
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

    public static SalesforceSync Sync(SalesforceClient client, LeadRouterDatabase database, SyncOptions? options = null) =>
        new(client, database, new SalesforceOptions(), options ?? new SyncOptions());
}
