using LeadRouter.SalesforceEmulator.Data;

namespace LeadRouter.SalesforceEmulator.Soql;

/// <summary>
/// Parses and runs SOQL against an <see cref="OrgStore"/>: SELECT fields (with parent relationship
/// paths such as Owner.Name) or COUNT(), FROM one object, WHERE, ORDER BY, LIMIT and OFFSET.
/// The emulator README ("SOQL support") lists what is and is not supported.
/// </summary>
public static class SoqlEngine
{
    /// <summary>API version the 5-argument overload puts in attributes.url.</summary>
    public const string DefaultApiVersion = "v62.0";

    /// <summary>Salesforce refuses an OFFSET above 2,000.</summary>
    public const int MaxOffset = 2000;

    /// <summary>
    /// Runs a query. Throws <see cref="SalesforceFault"/> with MALFORMED_QUERY (with row and column
    /// in the message), INVALID_FIELD or INVALID_TYPE, as Salesforce does. includeDeleted is queryAll.
    /// <paramref name="now"/> and <paramref name="timeZone"/> resolve TODAY, LAST_N_DAYS:n and the like.
    /// Row urls use <see cref="DefaultApiVersion"/>; the HTTP layer calls the overload with its version.
    /// </summary>
    public static SoqlResult Execute(OrgStore store, string soql, bool includeDeleted, DateTimeOffset now, TimeZoneInfo timeZone)
        => Execute(store, soql, includeDeleted, now, timeZone, DefaultApiVersion);

    /// <param name="apiVersion">As it appears in the REST path, e.g. "v62.0"; used in each row's attributes.url.</param>
    public static SoqlResult Execute(OrgStore store, string soql, bool includeDeleted, DateTimeOffset now, TimeZoneInfo timeZone, string apiVersion)
    {
        ArgumentNullException.ThrowIfNull(soql);
        return Execute(store, soql, SoqlParser.Parse(soql), includeDeleted, now, timeZone, apiVersion);
    }

    /// <summary>
    /// Runs a query for a Bulk API 2.0 query job. Refuses, as Bulk does, COUNT() and OFFSET (GROUP BY, TYPEOF
    /// and subqueries the parser refuses for every API) and compound address fields, with API_ERROR. The
    /// columns are the selected paths in SELECT order, spelled as the schema spells them (Owner.Name).
    /// </summary>
    public static BulkQueryResult ExecuteBulk(OrgStore store, string soql, bool includeDeleted, DateTimeOffset now, TimeZoneInfo timeZone, string apiVersion)
    {
        ArgumentNullException.ThrowIfNull(soql);
        var query = SoqlParser.Parse(soql);
        if (query.IsCount)
            throw new SalesforceFault(400, BulkError, "Aggregate queries such as COUNT() are not supported by Bulk API 2.0 query jobs.");
        if (query.Offset is not null)
            throw new SalesforceFault(400, BulkError, "OFFSET is not supported by Bulk API 2.0 query jobs.");
        IReadOnlyList<string[]> columns;
        using (store.ReadLock())
        {
            var table = store.Table(query.From.Text) ?? throw SoqlErrors.UnknownObject(soql, query.From.Position, query.From.Text);
            var binder = new FieldBinder(store, table, soql);
            columns = [.. query.Fields.Select(path =>
            {
                var bound = binder.Bind(path);
                if (bound.Kind == FieldKind.Address)
                    throw new SalesforceFault(400, BulkError, $"Compound field '{bound.Field.Name}' is not supported by Bulk API 2.0 query jobs; query its components.");
                return (string[])[.. bound.Relationships.Select(r => r.Name), bound.Field.Name];
            })];
        }
        return new BulkQueryResult(Execute(store, soql, query, includeDeleted, now, timeZone, apiVersion), columns);
    }

    /// <summary>The error code of Bulk API 2.0's own refusals.</summary>
    public const string BulkError = "API_ERROR";

    private static SoqlResult Execute(OrgStore store, string soql, SoqlQuery query, bool includeDeleted, DateTimeOffset now, TimeZoneInfo timeZone, string apiVersion)
    {
        if (query.Offset > MaxOffset)
            throw new SalesforceFault(400, "NUMBER_OUTSIDE_VALID_RANGE", $"Maximum SOQL offset allowed is {MaxOffset}");

        using var _ = store.ReadLock();
        var table = store.Table(query.From.Text) ?? throw SoqlErrors.UnknownObject(soql, query.From.Position, query.From.Text);
        var binder = new FieldBinder(store, table, soql);
        var projection = query.IsCount ? null : new RowProjection(store, binder, soql, query.Fields, apiVersion);
        var where = query.Where is null ? null : new FilterCompiler(binder, soql, now, timeZone).Compile(query.Where);
        var order = query.OrderBy.Select(item => (Field: binder.Bind(item.Field, "sorted"), item.Descending, item.NullsFirst)).ToArray();

        var matches = new List<object?[]>();
        foreach (var row in table.Rows)
        {
            if ((includeDeleted || row[ObjectTable.IsDeletedOrdinal] is false) && (where is null || where(row)))
                matches.Add(row);
        }

        var sorted = matches.ToArray();
        if (order.Length > 0 && !query.IsCount)
            sorted = RowOrder.Sort(sorted, order);
        var offset = Math.Min(query.Offset ?? 0, sorted.Length);
        var count = Math.Min(sorted.Length - offset, query.Limit ?? int.MaxValue);
        var page = new ArraySegment<object?[]>(sorted, offset, count);
        return projection is null
            ? new SoqlResult(table.Name, count, [])
            : new SoqlResult(table.Name, count, new ProjectedRows(table, page, projection));
    }
}

/// <summary>
/// The whole result; the HTTP layer pages it. Rows are projected lazily: indexing a row builds its
/// REST-shaped ordered map then ("attributes" {type, url} first, then the selected fields in SELECT
/// order by schema casing, relationships as nested maps with their own attributes, null when the
/// lookup is empty), so holding a million-row result costs one array of references. Values are CLR
/// values (write them with <see cref="SalesforceJson.WriteValue"/>). attributes.url is
/// "/services/data/{apiVersion}/sobjects/{Type}/{Id}" with the version passed to
/// <see cref="SoqlEngine.Execute(OrgStore, string, bool, DateTimeOffset, TimeZoneInfo, string)"/>.
/// The rows are a snapshot: later writes to the store do not change them (relationship values are
/// read when a row is projected). For COUNT() queries Rows is empty and TotalSize is the count.
/// </summary>
public sealed record SoqlResult(string ObjectName, int TotalSize, IReadOnlyList<IReadOnlyDictionary<string, object?>> Rows);

/// <summary>
/// A Bulk query's rows (projected as for REST) and its CSV columns: each a path into the projected row
/// (["Owner", "Name"] for Owner.Name), written joined with dots.
/// </summary>
public sealed record BulkQueryResult(SoqlResult Result, IReadOnlyList<string[]> Columns);
