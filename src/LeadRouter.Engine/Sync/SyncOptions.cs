using LeadRouter.Salesforce;

namespace LeadRouter.Sync;

/// <summary>What the sync pulls from Salesforce and how far back.</summary>
public sealed record SyncOptions
{
    public const string SectionName = "Sync";

    /// <summary>Weeks of activity (Events, Tasks, OpportunityHistory) the first pull reads; the trust window.</summary>
    public int HistoryWeeks { get; init; } = 12;

    /// <summary>
    /// Each incremental read starts this long before the watermark: Salesforce stamps SystemModstamp when a
    /// transaction starts, so a long transaction can commit a row older than rows already read. Re-reading
    /// is harmless (rows are upserted), it only costs the rows in the window.
    /// </summary>
    public TimeSpan Overlap { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Rows committed per store transaction (with the watermark). Bigger transactions write each index page
    /// once instead of once per Salesforce page; a crash loses at most this many rows of progress. On a first
    /// pull of the large org, 200,000 rather than 50,000 cut what SQLite writes from 2.7 to 2.1 times the
    /// database (each commit rewrites the primary-key index pages its rows land on), for about 130 MB more
    /// rows held in memory.
    /// </summary>
    public int RowsPerCommit { get; init; } = DefaultRowsPerCommit;

    public const int DefaultRowsPerCommit = 200_000;

    /// <summary>
    /// Whether large reads go through Bulk API 2.0 query jobs (see <see cref="BulkThreshold"/>). Off, every read
    /// pages through REST queryAll.
    /// </summary>
    public bool UseBulkApi { get; init; } = true;

    /// <summary>
    /// Rows above which a read (a first pull or a delta) goes through a Bulk query job: the first REST page's
    /// totalSize decides, and that page is dropped. A job costs that page plus five calls (create, two looks,
    /// one result set, delete) and one more per 50,000 rows; REST costs one call per 2,000 rows. Above 10,000
    /// rows the job costs no more calls than REST, and the CPU per row of the two is the same (README, "Bulk API").
    /// 0 sends every read through a job.
    /// </summary>
    public int BulkThreshold { get; init; } = DefaultBulkThreshold;

    public const int DefaultBulkThreshold = 10_000;

    /// <summary>Lead custom fields to copy into <see cref="Org.Lead.CustomFields"/> (those the routing rules use).</summary>
    public IReadOnlyList<string> LeadCustomFields { get; init; } = [];

    /// <summary>Opportunity custom date field holding the next-step date, when the org has one.</summary>
    public string? NextStepDateField { get; init; }

    /// <summary>Checks names now so a bad configuration fails at start, naming the setting.</summary>
    public void Validate()
    {
        if (HistoryWeeks is < 1 or > 52)
            throw new ArgumentException($"{SectionName}:HistoryWeeks must be between 1 and 52 (got {HistoryWeeks}).");
        if (Overlap < TimeSpan.Zero || Overlap > TimeSpan.FromHours(1))
            throw new ArgumentException($"{SectionName}:Overlap must be between 0 and 1 hour (got {Overlap}).");
        if (RowsPerCommit is < 1 or > 1_000_000)
            throw new ArgumentException($"{SectionName}:RowsPerCommit must be between 1 and 1,000,000 (got {RowsPerCommit}).");
        if (BulkThreshold is < 0 or > 100_000_000)
            throw new ArgumentException($"{SectionName}:BulkThreshold must be between 0 and 100,000,000 rows (got {BulkThreshold}).");
        for (var i = 0; i < LeadCustomFields.Count; i++)
            CheckCustomField(LeadCustomFields[i], $"{SectionName}:LeadCustomFields:{i}");
        if (NextStepDateField is not null)
            CheckCustomField(NextStepDateField, $"{SectionName}:NextStepDateField");
    }

    private static void CheckCustomField(string name, string setting)
    {
        try
        {
            ApiNames.Field(name);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"{setting}: {e.Message}", e);
        }
    }
}
