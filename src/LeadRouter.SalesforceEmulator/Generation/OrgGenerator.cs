namespace LeadRouter.SalesforceEmulator.Generation;

/// <summary>
/// Generates a deterministic synthetic Salesforce org for the demo, tests and benchmarks: an org
/// chart of reps playing recognisable personas, 12 weeks of reviews, selling and admin activity,
/// their pipelines and a pool of queued leads. See README.md beside this file.
/// </summary>
public static class OrgGenerator
{
    /// <summary>
    /// Same size, seed and <paramref name="asOf"/> give the same org, record for record. Nothing is
    /// read from the clock: the 12 weeks of history end at <paramref name="asOf"/> (taken in UTC).
    /// </summary>
    public static GeneratedOrg Generate(OrgSize size, int seed, DateTimeOffset asOf) =>
        new OrgGeneration(size, seed, asOf).Build();
}
