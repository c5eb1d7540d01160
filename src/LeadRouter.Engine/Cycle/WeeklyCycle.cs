using System.Globalization;
using System.Text.Json;
using LeadRouter.Assignment;
using LeadRouter.Contracts.V1;
using LeadRouter.Digest;
using LeadRouter.Routing;
using LeadRouter.Rules;
using LeadRouter.Storage;
using LeadRouter.Sync;
using LeadRouter.Telemetry;
using LeadRouter.Trust;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LeadRouter.Cycle;

/// <summary>What one cycle does besides scoring and routing.</summary>
/// <param name="Sync">Pull from Salesforce first (false: score what the store already holds).</param>
public sealed record CycleRun(bool Sync = true);

/// <summary>The outcome of one cycle, for the CLI summary, the demo and the tests.</summary>
public sealed record CycleResult(
    Guid RunId,
    SyncReport? Sync,
    TrustReport Trust,
    RoutingRun Routing,
    IReadOnlyList<WrittenDigest> Digests,
    bool Saved,
    IReadOnlyList<DigestMailing>? Mailed = null);

/// <summary>
/// The weekly cycle: sync, score the week, route the pool, then in one store transaction save the
/// scores, the run, its recommendations and the messages announcing them (the outbox), after writing
/// each manager's digest; then e-mails the digests when a mailer is configured. Deterministic for a given store, rules and as-of moment: the run id and every
/// message id derive from them, so running the same cycle twice publishes nothing new.
/// </summary>
public sealed class WeeklyCycle(
    LeadRouterDatabase database,
    RoutingRules rules,
    SyncTurn? sync,
    string digestFolder,
    TimeProvider? time = null,
    ILogger<WeeklyCycle>? logger = null,
    Uri? digestBaseUrl = null,
    DigestMailer? mailer = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ILogger _logger = logger ?? NullLogger<WeeklyCycle>.Instance;
    private readonly TrustScorer _scorer = new(rules.Trust);

    public static Guid RunIdFor(DateTimeOffset asOf, string rulesHash) =>
        StableId.For("weekly-cycle", asOf.UtcDateTime.ToString("O", CultureInfo.InvariantCulture), rulesHash);

    /// <summary>
    /// Runs the cycle, again from its start when the store goes away for a moment (SQLite busy, PostgreSQL
    /// restarting): that is safe, since the sync resumes from its watermarks, the run id derives from the
    /// as-of moment and the rules, and the run is saved in one transaction or not at all.
    /// </summary>
    public Task<CycleResult> RunAsync(
        DateTimeOffset asOf, CycleRun run, IProgress<string>? progress = null, CancellationToken cancellationToken = default) =>
        TransientStoreErrors.RetryAsync(() => RunOnceAsync(asOf, run, progress, cancellationToken), _logger, "The weekly cycle", cancellationToken);

    private async Task<CycleResult> RunOnceAsync(DateTimeOffset asOf, CycleRun run, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var runId = RunIdFor(asOf, rules.Hash);
        using var activity = LeadRouterTelemetry.Traces.StartActivity("weekly-cycle")?.SetTag("leadrouter.run_id", runId);
        using var scope = _logger.BeginScope(new Dictionary<string, object> { ["RunId"] = runId });
        SyncReport? synced = null;
        if (run.Sync)
        {
            if (sync is null)
                throw new InvalidOperationException("The cycle was asked to sync but has no Salesforce connection configured.");
            progress?.Report("Syncing from Salesforce");
            synced = await sync.RunAsync(asOf, new Progress<SyncProgress>(p =>
                progress?.Report($"Syncing {p.ObjectName}: {p.RowsRead} rows, {p.CallsMade} calls")), cancellationToken).ConfigureAwait(false);
        }

        progress?.Report("Scoring reps and routing leads");
        var (trust, input) = await ScoreAsync(asOf, cancellationToken).ConfigureAwait(false);
        var routing = RoutingEngine.Route(rules, input);
        CrashDrill.At(CrashDrill.Scored);

        var routingStore = new RoutingStore(database);
        if (await routingStore.GetRunAsync(runId, cancellationToken).ConfigureAwait(false) is not null)
        {
            _logger.LogInformation("Run {RunId} for {AsOf} with these rules is already saved; nothing new to write", runId, asOf);
            await RepublishStalledAsync(null, cancellationToken).ConfigureAwait(false);
            return new CycleResult(runId, synced, trust, routing, [], Saved: false);
        }

        progress?.Report("Writing digests");
        var history = await DigestWriter.LoadHistoryAsync(database, trust.Week, cancellationToken).ConfigureAwait(false);
        var emails = input.Users.DistinctBy(u => u.Id, StringComparer.Ordinal).ToDictionary(u => u.Id, u => u.Email, StringComparer.Ordinal);
        var digests = await new DigestWriter(digestFolder, digestBaseUrl).WriteAsync(ManagerDigest.Build(trust, routing, history, emails), cancellationToken).ConfigureAwait(false);

        progress?.Report("Saving scores, recommendations and messages");
        var now = _time.GetUtcNow();
        await using (var transaction = await database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false))
        {
            await new TrustScoreStore(database).SaveAsync(trust.Reps.Select(r => ToStored(r, trust)).ToList(), transaction, cancellationToken).ConfigureAwait(false);
            await routingStore.SaveRunAsync(
                new RoutingRunRecord(runId, asOf, routing.RulesHash, routing.Policy.ToString(), routing.Gini, Json(CycleJson.RunSummary(routing))),
                Recommendations(runId, routing, now),
                Messages(runId, trust, routing, digests, now),
                transaction,
                cancellationToken).ConfigureAwait(false);
            await routingStore.SupersedeAsync(runId, asOf, now, transaction, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        CrashDrill.At(CrashDrill.CycleSaved);
        await RepublishStalledAsync(runId, cancellationToken).ConfigureAwait(false);
        _logger.LogInformation(
            "Cycle {RunId} as of {AsOf}: {Reps} reps scored, {Routed} leads routed, {Unroutable} unroutable, {Digests} digests",
            runId, asOf, trust.Reps.Count, routing.Decisions.Count, routing.Unroutable.Count, digests.Count);
        IReadOnlyList<DigestMailing>? mailed = null;
        if (mailer is not null)
        {
            progress?.Report("E-mailing digests");
            mailed = await mailer.SendAsync(digests, cancellationToken).ConfigureAwait(false);
        }
        var result = new CycleResult(runId, synced, trust, routing, digests, Saved: true, mailed);
        LeadRouterTelemetry.CycleSaved(result);
        return result;
    }

    /// <summary>
    /// Earlier runs' AutoAssign leads that never reached a final state are carried out with this run (and so are this
    /// run's, when it was saved before and is run again: <paramref name="savedNow"/> is null then).
    /// </summary>
    private async Task RepublishStalledAsync(Guid? savedNow, CancellationToken cancellationToken)
    {
        var stalled = await StalledAssignments.RepublishAsync(database, _time.GetUtcNow(), exceptRun: savedNow, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (stalled.Count > 0)
            _logger.LogInformation("{Count} pending AutoAssign recommendations are published again", stalled.Count);
    }

    /// <summary>
    /// Scores the week from what the store holds and gathers what routing reads (the pool, trust, this
    /// week's assignments so far); writes nothing. The cycle routes this input; previews route it too.
    /// </summary>
    public async Task<(TrustReport Trust, RoutingInput Routing)> ScoreAsync(DateTimeOffset asOf, CancellationToken cancellationToken = default)
    {
        var activitySince = TrustScorer.ActivitySince(asOf, rules.Trust.WindowWeeks);
        var snapshot = await new RecordStore(database).LoadSnapshotAsync(activitySince, cancellationToken).ConfigureAwait(false);
        // Last week's change and the trend come from the scores kept each week, not from re-scoring today's
        // snapshot (which holds each opportunity as it is now, so a cleaned-up pipeline would show no change).
        var asOfDay = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(asOf, TimeZoneInfo.FindSystemTimeZoneById(rules.Trust.TimeZone)).DateTime);
        var stored = await new TrustScoreStore(database).ListWeeksAsync(
            TrustScoreStore.WeekOf(asOfDay.AddDays(-7 * (rules.Trust.WindowWeeks - 1))), TrustScoreStore.WeekOf(asOfDay.AddDays(-7)),
            cancellationToken).ConfigureAwait(false);
        var trust = _scorer.Score(snapshot, asOf, stored.Select(s => new StoredTrust(s.RepId, s.Week, s.Trust)).ToList());
        var assigned = await new RoutingStore(database)
            .ListAssignmentsSinceAsync(RoutingWeek.StartOf(asOf, TimeZoneInfo.FindSystemTimeZoneById(rules.Trust.TimeZone)), cancellationToken).ConfigureAwait(false);
        return (trust, new RoutingInput(snapshot.Leads, snapshot.Users, snapshot.Queues, RepStandings.From(trust), assigned, asOf));
    }

    private static TrustScore ToStored(RepTrust rep, TrustReport report)
    {
        double Value(TrustComponentKind kind) => rep.Components.First(c => c.Kind == kind).Value;
        return new TrustScore(rep.RepId, report.Week, report.AsOf, rep.Trust, rep.Confidence,
            Value(TrustComponentKind.ReviewAttendance), Value(TrustComponentKind.PipelineHonesty),
            Value(TrustComponentKind.Delegation), Value(TrustComponentKind.SellingActivity),
            Json(CycleJson.Evidence(rep)));
    }

    /// <summary>
    /// Serializing each lead's reasons and message is most of what a large org's save costs (93,000 recommendations
    /// and as many messages take two seconds on one core): the rows are made on every core, each into its slot, so
    /// their order stays the run's.
    /// </summary>
    private static Recommendation[] Recommendations(Guid runId, RoutingRun routing, DateTimeOffset now)
    {
        var decisions = routing.Decisions;
        var unroutable = routing.Unroutable;
        var recommendations = new Recommendation[decisions.Count + unroutable.Count];
        Parallel.For(0, recommendations.Length, i =>
        {
            if (i < decisions.Count)
            {
                var decision = decisions[i];
                recommendations[i] = new Recommendation(runId, decision.LeadId, decision.RepId, decision.Tier, decision.Mode.ToString(),
                    Json(CycleJson.Reasons(decision)), RecommendationStatus.Pending, null, now);
                return;
            }
            // A lead no rep can take is kept with its reason, never dropped.
            var lead = unroutable[i - decisions.Count];
            recommendations[i] = new Recommendation(runId, lead.LeadId, null, lead.Tier ?? "(none)", "Unroutable", Json(CycleJson.Reasons(lead)),
                RecommendationStatus.Skipped, lead.Message, now);
        });
        return recommendations;
    }

    /// <summary>Each rep's trust, each lead's recommendation and each digest announced, in that order (made as <see cref="Recommendations"/> are).</summary>
    private static OutboxMessage[] Messages(
        Guid runId, TrustReport trust, RoutingRun routing, IReadOnlyList<WrittenDigest> digests, DateTimeOffset now)
    {
        var reps = trust.Reps.Count;
        var decisions = routing.Decisions.Count;
        var messages = new OutboxMessage[reps + decisions + digests.Count];
        Parallel.For(0, messages.Length, i => messages[i] =
            i < reps ? OutboxMessages.Create(CycleMessages.TrustScored(runId, trust, trust.Reps[i]), now)
            : i < reps + decisions ? OutboxMessages.Create(CycleMessages.Recommended(runId, routing, routing.Decisions[i - reps]), now)
            : OutboxMessages.Create(CycleMessages.DigestReady(runId, digests[i - reps - decisions]), now));
        return messages;
    }

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, OutboxMessages.Json);
}
