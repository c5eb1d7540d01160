using System.Globalization;
using Dapper;

namespace LeadRouter.Storage;

/// <summary>
/// A rep's trust score for one ISO week ("2026-W02"), computed as of a moment: trust 0–100, confidence
/// 0–1, the four component values 0–1 and the evidence behind them as JSON.
/// </summary>
public sealed record TrustScore(
    string RepId,
    string Week,
    DateTimeOffset AsOf,
    double Trust,
    double Confidence,
    double ReviewAttendance,
    double PipelineHonesty,
    double Delegation,
    double SellingActivity,
    string Evidence);

/// <summary>The weekly trust scores. Scoring a week again replaces that week's scores.</summary>
public sealed class TrustScoreStore(LeadRouterDatabase database)
{
    private static readonly TableShape Table = new(
        "trust_scores",
        ["rep_id", "week", "as_of", "trust", "confidence", "review_attendance", "pipeline_honesty", "delegation",
            "selling_activity", "evidence"],
        ["rep_id", "week"]);

    private static readonly Column<TrustScore>[] Columns =
    [
        new("rep_id", ColumnType.Text, s => s.RepId),
        new("week", ColumnType.Text, s => s.Week),
        new("as_of", ColumnType.Moment, s => s.AsOf),
        new("trust", ColumnType.Double, s => s.Trust),
        new("confidence", ColumnType.Double, s => s.Confidence),
        new("review_attendance", ColumnType.Double, s => s.ReviewAttendance),
        new("pipeline_honesty", ColumnType.Double, s => s.PipelineHonesty),
        new("delegation", ColumnType.Double, s => s.Delegation),
        new("selling_activity", ColumnType.Double, s => s.SellingActivity),
        new("evidence", ColumnType.Text, s => s.Evidence),
    ];

    private const string SelectSql =
        "SELECT rep_id AS RepId, week AS Week, as_of AS AsOf, trust AS Trust, confidence AS Confidence, " +
        "review_attendance AS ReviewAttendance, pipeline_honesty AS PipelineHonesty, delegation AS Delegation, " +
        "selling_activity AS SellingActivity, evidence AS Evidence FROM trust_scores";

    private const string WeekSql = SelectSql + " WHERE week = @Week ORDER BY rep_id";

    private const string RepSql = SelectSql + " WHERE rep_id = @RepId AND week >= @FromWeek AND week <= @ToWeek ORDER BY week";

    private const string WeeksSql = SelectSql + " WHERE week >= @FromWeek AND week <= @ToWeek ORDER BY rep_id, week";

    public Task SaveAsync(IReadOnlyList<TrustScore> scores, CancellationToken cancellationToken = default) =>
        database.InTransactionAsync(transaction => SaveAsync(scores, transaction, cancellationToken), cancellationToken);

    /// <summary>Saves (or replaces) scores in the caller's transaction, e.g. with their "trust scored" outbox messages.</summary>
    public async Task SaveAsync(
        IReadOnlyList<TrustScore> scores, StoreTransaction transaction, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scores);
        var keys = new HashSet<(string, string)>();
        foreach (var score in scores)
        {
            Validate(score);
            if (!keys.Add((score.RepId, score.Week)))
                throw new ArgumentException($"Trust score of rep '{score.RepId}' for {score.Week}: the rep is scored twice for the week.", nameof(scores));
        }
        await transaction.Dialect.BulkUpsertAsync(transaction, Table, Columns, scores, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every rep's score for one week, by rep id.</summary>
    public async Task<IReadOnlyList<TrustScore>> ListWeekAsync(string week, CancellationToken cancellationToken = default)
    {
        ValidateWeek(week, "week");
        await using var transaction = await database.BeginReadAsync(cancellationToken).ConfigureAwait(false);
        var rows = await transaction.Connection.QueryAsync<TrustScore>(new CommandDefinition(
            WeekSql, new { Week = week }, transaction.Transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.AsList();
    }

    /// <summary>One rep's scores from <paramref name="fromWeek"/> to <paramref name="toWeek"/> inclusive, oldest first (the trend).</summary>
    public async Task<IReadOnlyList<TrustScore>> ListRepAsync(
        string repId, string fromWeek, string toWeek, CancellationToken cancellationToken = default)
    {
        ValidateWeek(fromWeek, "fromWeek");
        ValidateWeek(toWeek, "toWeek");
        await using var transaction = await database.BeginReadAsync(cancellationToken).ConfigureAwait(false);
        var rows = await transaction.Connection.QueryAsync<TrustScore>(new CommandDefinition(
            RepSql, new { RepId = repId, FromWeek = fromWeek, ToWeek = toWeek }, transaction.Transaction,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.AsList();
    }

    /// <summary>Every rep's scores from <paramref name="fromWeek"/> to <paramref name="toWeek"/> inclusive, by rep then week (what the scorer reads back).</summary>
    public async Task<IReadOnlyList<TrustScore>> ListWeeksAsync(string fromWeek, string toWeek, CancellationToken cancellationToken = default)
    {
        ValidateWeek(fromWeek, "fromWeek");
        ValidateWeek(toWeek, "toWeek");
        await using var transaction = await database.BeginReadAsync(cancellationToken).ConfigureAwait(false);
        var rows = await transaction.Connection.QueryAsync<TrustScore>(new CommandDefinition(
            WeeksSql, new { FromWeek = fromWeek, ToWeek = toWeek }, transaction.Transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.AsList();
    }

    /// <summary>The ISO week of a day, in the stored form "2026-W02".</summary>
    public static string WeekOf(DateOnly day) => Routing.RoutingWeek.Label(day);

    internal static TableShape Shape => Table;

    private static void Validate(TrustScore score)
    {
        ArgumentNullException.ThrowIfNull(score);
        var where = $"Trust score of rep '{score.RepId}' for {score.Week}";
        if (score.RepId is not { Length: 18 })
            throw new ArgumentException($"{where}: the rep id must be an 18-character Salesforce id.");
        ValidateWeek(score.Week, where);
        CheckRange(score.Trust, 100, where, "trust");
        CheckRange(score.Confidence, 1, where, "confidence");
        CheckRange(score.ReviewAttendance, 1, where, "review attendance");
        CheckRange(score.PipelineHonesty, 1, where, "pipeline honesty");
        CheckRange(score.Delegation, 1, where, "delegation");
        CheckRange(score.SellingActivity, 1, where, "selling activity");
        StoreJson.Validate(score.Evidence, $"{where}: evidence");
    }

    private static void CheckRange(double value, double max, string where, string name)
    {
        if (!double.IsFinite(value) || value < 0 || value > max)
            throw new ArgumentException($"{where}: {name} {value.ToString(CultureInfo.InvariantCulture)} is outside 0 to {max}.");
    }

    private static void ValidateWeek(string week, string where)
    {
        if (week is { Length: 8 } && week[4] == '-' && week[5] == 'W' &&
            int.TryParse(week.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year) &&
            int.TryParse(week.AsSpan(6, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var number) &&
            year >= 1 && number >= 1 && number <= ISOWeek.GetWeeksInYear(year))
        {
            return;
        }
        throw new ArgumentException($"{where}: '{week}' is not an ISO week such as 2026-W02.");
    }
}
