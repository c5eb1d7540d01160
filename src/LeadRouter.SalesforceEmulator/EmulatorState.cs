using LeadRouter.Org;
using LeadRouter.SalesforceEmulator.Auth;
using LeadRouter.SalesforceEmulator.Data;
using LeadRouter.SalesforceEmulator.Faults;
using LeadRouter.SalesforceEmulator.Http;
using LeadRouter.SalesforceEmulator.Limits;
using LeadRouter.SalesforceEmulator.Soql;

namespace LeadRouter.SalesforceEmulator;

/// <summary>Everything one running emulator shares between requests.</summary>
internal sealed class EmulatorState
{
    public EmulatorState(EmulatorOptions options, OrgStore store)
    {
        Options = options;
        Store = store;
        Sessions = new SessionRegistry(options.Clock, options.SessionTimeout);
        Usage = new ApiUsage(options.DailyApiLimit, options.Clock);
        Faults = new FaultInjector(options.Faults);
        Cursors = new QueryCursors(options.Clock);
        BulkJobs = new BulkQueryJobs(options.Clock);
    }

    /// <summary>The emulated org's id (00D...).</summary>
    public string OrgId { get; } = SalesforceId.Create("00D", 1);

    public EmulatorOptions Options { get; }
    public OrgStore Store { get; }
    public SessionRegistry Sessions { get; }
    public ApiUsage Usage { get; }
    public FaultInjector Faults { get; }
    public QueryCursors Cursors { get; }
    public BulkQueryJobs BulkJobs { get; }
    public WriteLog Writes { get; } = new();

    public DateTimeOffset Now => Options.Clock.GetUtcNow();

    /// <summary>Runs SOQL at the emulator's clock and time zone; rows' attributes.url carry <paramref name="apiVersion"/> ("v62.0").</summary>
    public SoqlResult Query(string soql, bool includeDeleted, string apiVersion = SoqlEngine.DefaultApiVersion) =>
        SoqlEngine.Execute(Store, soql, includeDeleted, Now, Options.TimeZone, apiVersion);

    /// <summary>
    /// The User the configured username logs in as: the org's User with that Username, or a fixed
    /// integration-user id when the org has none (e.g. an empty org).
    /// </summary>
    public string LoginUserId()
    {
        var username = Options.Username.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal);
        if (Store.Describe("User") is not null)
        {
            var users = Query($"SELECT Id FROM User WHERE Username = '{username}'", includeDeleted: false);
            if (users.Rows.Count > 0 && users.Rows[0]["Id"] is string id)
                return id;
        }
        return SalesforceId.Create(IdPrefix.User, 0);
    }

    /// <summary>The schema of an sObject type named in any case, as Salesforce matches them (its Name is the canonical spelling); null when unknown.</summary>
    public SObjectSchema? Schema(string objectName) => Store.Describe(objectName);
}
