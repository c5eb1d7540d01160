using System.Globalization;

namespace LeadRouter.Salesforce;

/// <summary>The org's API calls used in the rolling 24 hours and its allowance, from <c>Sforce-Limit-Info: api-usage=18/15000</c>.</summary>
public sealed record ApiUsage(long Used, long Max)
{
    public const string HeaderName = "Sforce-Limit-Info";

    /// <summary>
    /// Reads the api-usage entry of the header. The header may carry other entries too
    /// (e.g. <c>per-app-api-usage=17/250(appName=x)</c>), separated by commas.
    /// </summary>
    public static bool TryParse(string? header, out ApiUsage usage)
    {
        usage = new ApiUsage(0, 0);
        if (header is null)
            return false;
        foreach (var entry in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            const string prefix = "api-usage=";
            if (!entry.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                continue;
            var numbers = entry[prefix.Length..].Split('/');
            if (numbers.Length == 2
                && long.TryParse(numbers[0], NumberStyles.None, CultureInfo.InvariantCulture, out var used)
                && long.TryParse(numbers[1], NumberStyles.None, CultureInfo.InvariantCulture, out var max))
            {
                usage = new ApiUsage(used, max);
                return true;
            }
        }
        return false;
    }
}

/// <summary>One entry of <c>GET /services/data/vXX.X/limits</c>.</summary>
public sealed record OrgLimit(string Name, long Max, long Remaining)
{
    public long Used => Max - Remaining;
}

/// <summary>The org's limits by name (DailyApiRequests, DailyBulkApiBatches, ...).</summary>
public sealed record OrgLimits(IReadOnlyDictionary<string, OrgLimit> ByName)
{
    public const string DailyApiRequestsName = "DailyApiRequests";

    public OrgLimit DailyApiRequests =>
        ByName.TryGetValue(DailyApiRequestsName, out var limit)
            ? limit
            : throw new InvalidOperationException($"The org's limits do not include {DailyApiRequestsName}.");
}

/// <summary>
/// Whether a pull estimated at <see cref="EstimatedCalls"/> calls keeps the org within
/// <see cref="Share"/> of its daily allowance, given the calls it has already used.
/// </summary>
public sealed record ApiBudgetCheck(long EstimatedCalls, long Used, long Max, double Share)
{
    /// <summary>Calls the org may have used, in all, by the end of the pull.</summary>
    public long Allowed => (long)Math.Floor(Max * Share);

    public long Available => Math.Max(0, Allowed - Used);

    public bool Fits => Used + EstimatedCalls <= Allowed;

    public static ApiBudgetCheck For(OrgLimit dailyApiRequests, long estimatedCalls, double share)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(estimatedCalls);
        if (!(share > 0 && share <= 1))
            throw new ArgumentOutOfRangeException(nameof(share), share, "The budget share must be above 0 and at most 1.");
        return new ApiBudgetCheck(estimatedCalls, dailyApiRequests.Used, dailyApiRequests.Max, share);
    }

    public string Explain()
    {
        var share = Share.ToString("0.##", CultureInfo.InvariantCulture);
        var verdict = Fits ? "The pull fits the budget" : "Refusing to start the pull";
        return $"{verdict}: it needs about {EstimatedCalls} API calls; the org has used {Used} of its {Max} daily calls, " +
               $"and the configured share {share} allows {Allowed} in all ({Available} left).";
    }
}
