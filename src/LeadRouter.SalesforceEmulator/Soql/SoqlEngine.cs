using LeadRouter.SalesforceEmulator.Data;

namespace LeadRouter.SalesforceEmulator.Soql;

// CONTRACT (see Data/OrgStore.cs): the SOQL helper implements, the HTTP helper calls.

/// <summary>Parses and runs SOQL against an <see cref="OrgStore"/>.</summary>
public static class SoqlEngine
{
    /// <summary>
    /// Runs a query. Throws <see cref="SalesforceFault"/> with MALFORMED_QUERY (with row and column
    /// in the message), INVALID_FIELD or INVALID_TYPE, as Salesforce does. includeDeleted is queryAll.
    /// <paramref name="now"/> and <paramref name="timeZone"/> resolve TODAY, LAST_N_DAYS:n and the like.
    /// </summary>
    public static SoqlResult Execute(OrgStore store, string soql, bool includeDeleted, DateTimeOffset now, TimeZoneInfo timeZone)
        => throw new NotImplementedException();
}

/// <summary>
/// The whole result; the HTTP layer pages it. Each row is already in REST shape: an ordered map of
/// field name to value, with "attributes" {type, url} first and relationship fields as nested maps
/// (Owner → {attributes, Name}). For COUNT() queries Rows is empty and TotalSize is the count.
/// </summary>
public sealed record SoqlResult(string ObjectName, int TotalSize, IReadOnlyList<IReadOnlyDictionary<string, object?>> Rows);
