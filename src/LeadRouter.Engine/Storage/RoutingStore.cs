using System.Globalization;
using Dapper;
using LeadRouter.Rules;

namespace LeadRouter.Storage;

/// <summary>One routing run as stored: when it ran, which rules (by hash) and policy it used, its fairness and a JSON summary.</summary>
public sealed record RoutingRunRecord(Guid Id, DateTimeOffset AsOf, string RulesHash, string Policy, double Gini, string Summary);

public enum RecommendationStatus
{
    /// <summary>Waiting for the manager (Recommend mode) or the routing consumer (AutoAssign).</summary>
    Pending,

    /// <summary>The manager approved it; the owner is not written yet.</summary>
    Approved,

    /// <summary>Lead.OwnerId was written in Salesforce.</summary>
    Assigned,

    /// <summary>Not applied, with the reason (e.g. a human took the lead meanwhile, or no rep could take it).</summary>
    Skipped,
}

/// <summary>
/// The decision for one lead in one run: the rep (null when no rep could take it), the tier, the mode
/// (Recommend or AutoAssign), the reasons as JSON, and where it stands.
/// </summary>
public sealed record Recommendation(
    Guid RunId,
    string LeadId,
    string? RepId,
    string Tier,
    string Mode,
    string Reasons,
    RecommendationStatus Status,
    string? StatusReason,
    DateTimeOffset UpdatedAt);

/// <summary>Where a recommendation stands, without its reasons: what a settled run reports for each lead.</summary>
public sealed record RecommendationOutcome(
    Guid RunId,
    string LeadId,
    string? RepId,
    string Tier,
    string Mode,
    RecommendationStatus Status,
    string? StatusReason,
    DateTimeOffset UpdatedAt)
{
    public bool IsAutoAssign => RepId is not null && Mode == nameof(RoutingMode.AutoAssign);
}

/// <summary>A recommendation moving on to <paramref name="Status"/>, with the reason to record.</summary>
public sealed record StatusChange(Guid RunId, string LeadId, RecommendationStatus Status, string? Reason);

/// <summary>Routing runs and their recommendations.</summary>
public sealed class RoutingStore(LeadRouterDatabase database)
{
    private const string InsertRunSql =
        "INSERT INTO routing_runs (id, as_of, rules_hash, policy, gini, summary) VALUES (@Id, @AsOf, @RulesHash, @Policy, @Gini, @Summary)";

    private static readonly Column<Recommendation>[] RecommendationColumns =
    [
        new("run_id", ColumnType.Guid, r => r.RunId),
        new("lead_id", ColumnType.Text, r => r.LeadId),
        new("rep_id", ColumnType.Text, r => r.RepId),
        new("tier", ColumnType.Text, r => r.Tier),
        new("mode", ColumnType.Text, r => r.Mode),
        new("reasons", ColumnType.Text, r => r.Reasons),
        new("status", ColumnType.Text, r => r.Status.ToString()),
        new("status_reason", ColumnType.Text, r => r.StatusReason),
        new("updated_at", ColumnType.Moment, r => r.UpdatedAt),
    ];

    private const string SelectRunSql =
        "SELECT id AS Id, as_of AS AsOf, rules_hash AS RulesHash, policy AS Policy, gini AS Gini, summary AS Summary " +
        "FROM routing_runs WHERE id = @Id";

    private const string SelectRecommendationsSql =
        "SELECT r.run_id AS RunId, r.lead_id AS LeadId, r.rep_id AS RepId, r.tier AS Tier, r.mode AS Mode, r.reasons AS Reasons, " +
        "r.status AS Status, r.status_reason AS StatusReason, r.updated_at AS UpdatedAt FROM recommendations r";

    private const string RunRecommendationsSql = SelectRecommendationsSql + " WHERE r.run_id = @RunId ORDER BY r.lead_id";

    private const string RunOutcomesSql =
        "SELECT run_id AS RunId, lead_id AS LeadId, rep_id AS RepId, tier AS Tier, mode AS Mode, status AS Status, " +
        "status_reason AS StatusReason, updated_at AS UpdatedAt FROM recommendations WHERE run_id = @RunId ORDER BY lead_id";

    // Pending recommendations, oldest run first; the fragments are not statements, hence not named *Sql.
    private const string PendingWhere = SelectRecommendationsSql + " INNER JOIN routing_runs u ON u.id = r.run_id WHERE r.status = @Status";
    private const string OldestRunFirst = " ORDER BY u.as_of, r.run_id, r.lead_id";

    private const string PendingSql = PendingWhere + OldestRunFirst;

    private const string PendingAutoAssignWhere = PendingWhere + " AND r.mode = @Mode AND r.rep_id IS NOT NULL";

    private const string PendingAutoAssignSql = PendingAutoAssignWhere + OldestRunFirst;

    private const string EarlierPendingAutoAssignSql = PendingAutoAssignWhere + " AND r.run_id <> @ExceptRun" + OldestRunFirst;

    private const string CountPendingAutoAssignSql =
        "SELECT COUNT(*) AS Waiting, COUNT(status_reason) AS Deferred FROM recommendations " +
        "WHERE status = @Status AND mode = @Mode AND rep_id IS NOT NULL";

    private const string SetStatusSql =
        "UPDATE recommendations SET status = @Status, status_reason = @StatusReason, updated_at = @UpdatedAt " +
        "WHERE run_id = @RunId AND lead_id = @LeadId AND (status = @From1 OR status = @From2)";

    private const string AssignmentsSinceSql =
        "SELECT r.lead_id AS LeadId, r.rep_id AS RepId, r.tier AS Tier FROM recommendations r " +
        "INNER JOIN routing_runs u ON u.id = r.run_id WHERE u.as_of >= @Since AND r.rep_id IS NOT NULL AND r.status <> @Skipped " +
        "ORDER BY r.lead_id";

    private const string AssignedSinceSql =
        "SELECT lead_id AS LeadId, rep_id AS RepId, tier AS Tier FROM recommendations " +
        "WHERE status = @Assigned AND updated_at >= @Since ORDER BY lead_id";

    private const string LatestRunSql =
        "SELECT id AS Id, as_of AS AsOf, rules_hash AS RulesHash, policy AS Policy, gini AS Gini, summary AS Summary " +
        "FROM routing_runs WHERE as_of = (SELECT MAX(as_of) FROM routing_runs)";

    private const string DeferSql =
        "UPDATE recommendations SET status_reason = @StatusReason, updated_at = @UpdatedAt " +
        "WHERE run_id = @RunId AND lead_id = @LeadId AND status = @Pending";

    private const string SupersedeSql =
        "UPDATE recommendations SET status = @Skipped, status_reason = @StatusReason, updated_at = @UpdatedAt " +
        "WHERE status = @Pending AND run_id <> @RunId " +
        "AND lead_id IN (SELECT lead_id FROM recommendations WHERE run_id = @RunId) " +
        "AND run_id IN (SELECT id FROM routing_runs WHERE as_of <= @AsOf)";

    // Look-ups of many keys at once; the dialect writes the list condition (AnyOf), hence not complete statements.
    private const string RecommendationStatusesOf = "SELECT lead_id, status, rep_id FROM recommendations WHERE run_id = @RunId AND ";

    private const string RecommendationReasonsOf = "SELECT lead_id, reasons FROM recommendations WHERE run_id = @RunId AND ";

    private const string SyncedOwnersOf = "SELECT id, owner_id FROM leads WHERE ";

    private const string CurrentStatusSql =
        "SELECT status FROM recommendations WHERE run_id = @RunId AND lead_id = @LeadId";

    public Task SaveRunAsync(
        RoutingRunRecord run,
        IReadOnlyList<Recommendation> recommendations,
        IReadOnlyList<OutboxMessage> messages,
        CancellationToken cancellationToken = default) =>
        database.InTransactionAsync(
            transaction => SaveRunAsync(run, recommendations, messages, transaction, cancellationToken), cancellationToken);

    /// <summary>
    /// Writes a run, its recommendations and the messages announcing them in the caller's transaction:
    /// all of them or, if anything fails, none.
    /// </summary>
    public async Task SaveRunAsync(
        RoutingRunRecord run,
        IReadOnlyList<Recommendation> recommendations,
        IReadOnlyList<OutboxMessage> messages,
        StoreTransaction transaction,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(recommendations);
        Validate(run, recommendations);
        await transaction.Connection.ExecuteAsync(new CommandDefinition(
            InsertRunSql, run, transaction.Transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await transaction.Dialect.BulkInsertAsync(transaction, "recommendations", RecommendationColumns, recommendations, cancellationToken)
            .ConfigureAwait(false);
        await new Outbox(database).EnqueueAsync(messages, transaction, cancellationToken).ConfigureAwait(false);
    }

    public async Task<RoutingRunRecord?> GetRunAsync(Guid runId, CancellationToken cancellationToken = default)
    {
        await using var transaction = await database.BeginReadAsync(cancellationToken).ConfigureAwait(false);
        return await transaction.Connection.QuerySingleOrDefaultAsync<RoutingRunRecord>(new CommandDefinition(
            SelectRunSql, new { Id = runId }, transaction.Transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>A run's recommendations, by lead id.</summary>
    public Task<IReadOnlyList<Recommendation>> ListRecommendationsAsync(Guid runId, CancellationToken cancellationToken = default) =>
        ListAsync(RunRecommendationsSql, new { RunId = runId }, cancellationToken);

    /// <summary>
    /// Where each of a run's recommendations stands, by lead id, without the reasons: a large org's run is tens of
    /// thousands of rows, and their reasons would be most of what is read.
    /// </summary>
    public async Task<IReadOnlyList<RecommendationOutcome>> ListOutcomesAsync(Guid runId, CancellationToken cancellationToken = default)
    {
        await using var transaction = await database.BeginReadAsync(cancellationToken).ConfigureAwait(false);
        var rows = await transaction.Connection.QueryAsync<RecommendationOutcome>(new CommandDefinition(
            RunOutcomesSql, new { RunId = runId }, transaction.Transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.AsList();
    }

    /// <summary>Every pending recommendation, oldest run first.</summary>
    public Task<IReadOnlyList<Recommendation>> ListPendingAsync(CancellationToken cancellationToken = default) =>
        ListAsync(PendingSql, new { Status = nameof(RecommendationStatus.Pending) }, cancellationToken);

    /// <summary>
    /// The pending AutoAssign recommendations, oldest run first: what the routing consumer still has to carry
    /// out. A large org's weekly run leaves tens of thousands of Recommend rows pending, which this leaves out.
    /// </summary>
    /// <param name="exceptRun">A run to leave out: one just saved, whose messages have not gone out yet.</param>
    public Task<IReadOnlyList<Recommendation>> ListPendingAutoAssignAsync(Guid? exceptRun = null, CancellationToken cancellationToken = default) =>
        exceptRun is { } run
            ? ListAsync(EarlierPendingAutoAssignSql,
                new { Status = nameof(RecommendationStatus.Pending), Mode = nameof(RoutingMode.AutoAssign), ExceptRun = run }, cancellationToken)
            : ListAsync(PendingAutoAssignSql,
                new { Status = nameof(RecommendationStatus.Pending), Mode = nameof(RoutingMode.AutoAssign) }, cancellationToken);

    /// <summary>
    /// How many recommendations <see cref="ListPendingAutoAssignAsync"/> would list, and how many of them Salesforce
    /// deferred (they carry a reason): what a settlement polls while the consumer works, without reading the rows.
    /// </summary>
    public async Task<(int Waiting, int Deferred)> CountPendingAutoAssignAsync(CancellationToken cancellationToken = default)
    {
        await using var transaction = await database.BeginReadAsync(cancellationToken).ConfigureAwait(false);
        var reader = await transaction.Connection.ExecuteReaderAsync(new CommandDefinition(
            CountPendingAutoAssignSql,
            new { Status = nameof(RecommendationStatus.Pending), Mode = nameof(RoutingMode.AutoAssign) },
            transaction.Transaction,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            // COUNT is a 64-bit integer on SQLite and PostgreSQL, a 32-bit one on SQL Server.
            return (Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture),
                Convert.ToInt32(reader.GetValue(1), CultureInfo.InvariantCulture));
        }
    }

    private async Task<IReadOnlyList<Recommendation>> ListAsync(string sql, object parameters, CancellationToken cancellationToken)
    {
        await using var transaction = await database.BeginReadAsync(cancellationToken).ConfigureAwait(false);
        var rows = await transaction.Connection.QueryAsync<Recommendation>(new CommandDefinition(
            sql, parameters, transaction.Transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.AsList();
    }

    public Task SetStatusAsync(
        Guid runId,
        string leadId,
        RecommendationStatus status,
        string? reason,
        DateTimeOffset at,
        CancellationToken cancellationToken = default) =>
        database.InTransactionAsync(
            transaction => SetStatusAsync(runId, leadId, status, reason, at, transaction, cancellationToken), cancellationToken);

    /// <summary>
    /// Moves a recommendation on: Pending → Approved, Assigned or Skipped; Approved → Assigned or Skipped.
    /// Setting the status it already has changes nothing (a redelivered message); any other move, or an
    /// unknown recommendation, is refused with an error naming it.
    /// </summary>
    public Task SetStatusAsync(
        Guid runId,
        string leadId,
        RecommendationStatus status,
        string? reason,
        DateTimeOffset at,
        StoreTransaction transaction,
        CancellationToken cancellationToken = default) =>
        SetStatusesAsync([new StatusChange(runId, leadId, status, reason)], at, transaction, cancellationToken);

    /// <summary>
    /// <see cref="SetStatusAsync(Guid, string, RecommendationStatus, string?, DateTimeOffset, StoreTransaction, CancellationToken)"/>
    /// for many recommendations (a consumer batch's outcomes) in one go.
    /// </summary>
    public async Task SetStatusesAsync(
        IReadOnlyList<StatusChange> changes, DateTimeOffset at, StoreTransaction transaction, CancellationToken cancellationToken = default)
    {
        var parameterSets = new List<Dictionary<string, object?>>(changes.Count);
        foreach (var change in changes)
        {
            var (from1, from2) = change.Status switch
            {
                RecommendationStatus.Approved => (RecommendationStatus.Pending, RecommendationStatus.Pending),
                RecommendationStatus.Assigned or RecommendationStatus.Skipped => (RecommendationStatus.Pending, RecommendationStatus.Approved),
                _ => throw new ArgumentException($"A recommendation cannot be set back to {change.Status}.", nameof(changes)),
            };
            parameterSets.Add(new()
            {
                ["RunId"] = change.RunId, ["LeadId"] = change.LeadId, ["Status"] = change.Status.ToString(), ["StatusReason"] = change.Reason,
                ["UpdatedAt"] = at, ["From1"] = from1.ToString(), ["From2"] = from2.ToString(),
            });
        }
        var updated = await transaction.Dialect.ExecuteEachAsync(transaction, SetStatusSql, parameterSets, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < changes.Count; i++)
        {
            if (updated[i] == 1)
                continue;
            var (runId, leadId, status, _) = changes[i];
            var current = await transaction.Connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
                CurrentStatusSql, new { RunId = runId, LeadId = leadId }, transaction.Transaction,
                cancellationToken: cancellationToken)).ConfigureAwait(false);
            if (current is null)
                throw new KeyNotFoundException($"No recommendation for lead '{leadId}' in routing run {runId}.");
            if (current != status.ToString())
                throw new InvalidOperationException($"The recommendation for lead '{leadId}' in routing run {runId} is {current}: it cannot become {status}.");
        }
    }

    /// <summary>
    /// Keeps a recommendation pending but says why it is not carried out yet (a locked row, Salesforce
    /// unavailable): the next delivery or run tries again. A null reason means it is being tried now.
    /// </summary>
    public Task DeferAsync(
        Guid runId, string leadId, string? reason, DateTimeOffset at, StoreTransaction transaction, CancellationToken cancellationToken = default) =>
        transaction.Connection.ExecuteAsync(new CommandDefinition(
            DeferSql,
            new { RunId = runId, LeadId = leadId, StatusReason = reason, UpdatedAt = at, Pending = nameof(RecommendationStatus.Pending) },
            transaction.Transaction,
            cancellationToken: cancellationToken));

    /// <summary>
    /// A newer run, saved in this transaction, decided again about its leads: the pending recommendations of
    /// earlier runs (as of <paramref name="asOf"/> or before) for them are skipped, naming the run that replaced
    /// them, so a lead never waits on two decisions. One statement for the whole run. Returns how many were skipped.
    /// </summary>
    public Task<int> SupersedeAsync(
        Guid runId, DateTimeOffset asOf, DateTimeOffset at, StoreTransaction transaction, CancellationToken cancellationToken = default) =>
        transaction.Connection.ExecuteAsync(new CommandDefinition(
            SupersedeSql,
            new
            {
                RunId = runId, AsOf = asOf, StatusReason = $"superseded by routing run {runId} as of {asOf.UtcDateTime:yyyy-MM-dd HH:mm}Z",
                UpdatedAt = at, Pending = nameof(RecommendationStatus.Pending), Skipped = nameof(RecommendationStatus.Skipped),
            },
            transaction.Transaction,
            cancellationToken: cancellationToken));

    /// <summary>Where each (run, lead) stands now and the rep it was recommended to; a pair with no recommendation is absent.</summary>
    public async Task<IReadOnlyDictionary<(Guid RunId, string LeadId), (RecommendationStatus Status, string? RepId)>> StatusesAsync(
        IEnumerable<(Guid RunId, string LeadId)> keys, CancellationToken cancellationToken = default)
    {
        var statuses = new Dictionary<(Guid, string), (RecommendationStatus, string?)>();
        await using var transaction = await database.BeginReadAsync(cancellationToken).ConfigureAwait(false);
        foreach (var run in keys.Distinct().GroupBy(k => k.RunId))
        {
            var rows = await ByLeadAsync<(string LeadId, string Status, string? RepId)>(
                transaction, RecommendationStatusesOf, "lead_id", run.Select(k => k.LeadId), new { RunId = run.Key }, cancellationToken).ConfigureAwait(false);
            foreach (var (leadId, status, repId) in rows)
                statuses[(run.Key, leadId)] = (Enum.Parse<RecommendationStatus>(status), repId);
        }
        return statuses;
    }

    /// <summary>The reasons JSON of these recommendations, by lead id; leads without one in the run are left out.</summary>
    public async Task<IReadOnlyDictionary<string, string>> ReasonsAsync(Guid runId, IEnumerable<string> leadIds, CancellationToken cancellationToken = default)
    {
        await using var transaction = await database.BeginReadAsync(cancellationToken).ConfigureAwait(false);
        var rows = await ByLeadAsync<(string LeadId, string Reasons)>(
            transaction, RecommendationReasonsOf, "lead_id", leadIds, new { RunId = runId }, cancellationToken).ConfigureAwait(false);
        return rows.ToDictionary(r => r.LeadId, r => r.Reasons, StringComparer.Ordinal);
    }

    /// <summary>The owner each lead had at the last sync (a routing queue, for a lead routed since), by lead id.</summary>
    public async Task<IReadOnlyDictionary<string, string>> SyncedOwnersAsync(IReadOnlyList<string> leadIds, CancellationToken cancellationToken = default)
    {
        await using var transaction = await database.BeginReadAsync(cancellationToken).ConfigureAwait(false);
        var rows = await ByLeadAsync<(string LeadId, string OwnerId)>(
            transaction, SyncedOwnersOf, "id", leadIds, new { }, cancellationToken).ConfigureAwait(false);
        return rows.ToDictionary(r => r.LeadId, r => r.OwnerId, StringComparer.Ordinal);
    }

    /// <summary>The look-ups of many leads as <paramref name="dialect"/> writes them, for the SQL Server syntax check.</summary>
    internal static IEnumerable<string> Statements(SqlDialect dialect) =>
    [
        OfLeads(dialect, RecommendationStatusesOf, "lead_id"),
        OfLeads(dialect, RecommendationReasonsOf, "lead_id"),
        OfLeads(dialect, SyncedOwnersOf, "id"),
    ];

    private static string OfLeads(SqlDialect dialect, string select, string leadColumn) => select + dialect.AnyOf(leadColumn, "@LeadIds");

    /// <summary>
    /// Runs <paramref name="select"/> (ending in WHERE … AND, or WHERE) for the leads, a list of lead ids per
    /// statement rather than a round trip per lead.
    /// </summary>
    private static async Task<List<TRow>> ByLeadAsync<TRow>(
        StoreTransaction transaction, string select, string leadColumn, IEnumerable<string> leadIds, object parameters, CancellationToken cancellationToken)
    {
        var rows = new List<TRow>();
        foreach (var chunk in leadIds.Distinct(StringComparer.Ordinal).Chunk(StoreTransaction.MaxListLength))
        {
            var arguments = new DynamicParameters(parameters);
            arguments.Add("LeadIds", transaction.Dialect.TextList(chunk));
            rows.AddRange(await transaction.Connection.QueryAsync<TRow>(new CommandDefinition(
                OfLeads(transaction.Dialect, select, leadColumn), arguments, transaction.Transaction,
                cancellationToken: cancellationToken)).ConfigureAwait(false));
        }
        return rows;
    }

    /// <summary>
    /// Leads given to reps by runs as of <paramref name="since"/> or later that were not skipped: pending,
    /// approved or assigned, they count against this week's capacity.
    /// </summary>
    public Task<IReadOnlyList<Routing.PriorAssignment>> ListAssignmentsSinceAsync(DateTimeOffset since, CancellationToken cancellationToken = default) =>
        AssignmentsAsync(AssignmentsSinceSql, new { Since = since, Skipped = nameof(RecommendationStatus.Skipped) }, cancellationToken);

    /// <summary>Leads whose owner was written (status Assigned) at <paramref name="since"/> or later, by any run.</summary>
    public Task<IReadOnlyList<Routing.PriorAssignment>> ListAssignedSinceAsync(DateTimeOffset since, CancellationToken cancellationToken = default) =>
        AssignmentsAsync(AssignedSinceSql, new { Since = since, Assigned = nameof(RecommendationStatus.Assigned) }, cancellationToken);

    private async Task<IReadOnlyList<Routing.PriorAssignment>> AssignmentsAsync(string sql, object parameters, CancellationToken cancellationToken)
    {
        await using var transaction = await database.BeginReadAsync(cancellationToken).ConfigureAwait(false);
        var rows = await transaction.Connection.QueryAsync<Routing.PriorAssignment>(new CommandDefinition(
            sql, parameters, transaction.Transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.AsList();
    }

    /// <summary>The run with the latest as-of moment, or null when none was saved.</summary>
    public async Task<RoutingRunRecord?> LatestRunAsync(CancellationToken cancellationToken = default)
    {
        await using var transaction = await database.BeginReadAsync(cancellationToken).ConfigureAwait(false);
        return await transaction.Connection.QueryFirstOrDefaultAsync<RoutingRunRecord>(new CommandDefinition(
            LatestRunSql, transaction: transaction.Transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    private static void Validate(RoutingRunRecord run, IReadOnlyList<Recommendation> recommendations)
    {
        var where = $"Routing run {run.Id}";
        if (run.Id == Guid.Empty)
            throw new ArgumentException("Routing run: the id is empty.", nameof(run));
        if (string.IsNullOrWhiteSpace(run.RulesHash) || string.IsNullOrWhiteSpace(run.Policy))
            throw new ArgumentException($"{where}: the rules hash and the policy are required.", nameof(run));
        if (!double.IsFinite(run.Gini) || run.Gini < 0 || run.Gini > 1)
            throw new ArgumentException($"{where}: Gini {run.Gini} is outside 0 to 1.", nameof(run));
        StoreJson.Validate(run.Summary, $"{where}: summary");
        var leads = new HashSet<string>(StringComparer.Ordinal);
        foreach (var recommendation in recommendations)
        {
            ArgumentNullException.ThrowIfNull(recommendation);
            if (recommendation.RunId != run.Id)
                throw Refused(recommendation, $"the recommendation belongs to run {recommendation.RunId}");
            if (!leads.Add(recommendation.LeadId))
                throw Refused(recommendation, "the lead is recommended twice");
            if (string.IsNullOrWhiteSpace(recommendation.Tier) || string.IsNullOrWhiteSpace(recommendation.Mode))
                throw Refused(recommendation, "the tier and the mode are required");
            if (StoreJson.Problem(recommendation.Reasons) is { } problem)
                throw Refused(recommendation, $"reasons: {problem}");
        }

        ArgumentException Refused(Recommendation recommendation, string why) =>
            new($"{where}, lead '{recommendation.LeadId}': {why}.", nameof(recommendations));
    }
}
