using LeadRouter.Org;
using LeadRouter.Routing;
using LeadRouter.Routing.Simulation;
using LeadRouter.Rules;
using LeadRouter.Storage;
using LeadRouter.Trust;

namespace LeadRouter.Simulation;

/// <summary>
/// What the store holds for replaying past weeks: the org snapshot (through the same loader as `score`
/// and `route`) and the weekly trust scores kept by the cycles of those weeks. Reading only: nothing is written.
/// </summary>
public sealed class SimulationHistory
{
    private readonly OrgSnapshot _snapshot;
    private readonly ILookup<string, TrustScore> _keptByWeek;

    private SimulationHistory(OrgSnapshot snapshot, IReadOnlyList<TrustScore> kept)
    {
        _snapshot = snapshot;
        _keptByWeek = kept.ToLookup(s => s.Week, StringComparer.Ordinal);
    }

    /// <summary>No users or no leads synced: nothing to replay.</summary>
    public bool IsEmpty => _snapshot.Users.Count == 0 || _snapshot.Leads.Count == 0;

    /// <summary>
    /// Loads the snapshot with the activity scoring the first week reads (a window of <paramref name="windowWeeks"/>)
    /// and the scores kept for the weeks.
    /// </summary>
    public static async Task<SimulationHistory> LoadAsync(
        LeadRouterDatabase database, IReadOnlyList<(string Week, DateTimeOffset Start, DateTimeOffset End)> weeks, int windowWeeks,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(weeks);
        var snapshot = await new RecordStore(database)
            .LoadSnapshotAsync(TrustScorer.ActivitySince(FirstAsOf(weeks), windowWeeks), cancellationToken).ConfigureAwait(false);
        var kept = await new TrustScoreStore(database).ListWeeksAsync(weeks[0].Week, weeks[^1].Week, cancellationToken).ConfigureAwait(false);
        return new SimulationHistory(snapshot, kept);
    }

    /// <summary>
    /// Each week with each rep's trust as it stood then, scored in the background, oldest first, two at a time
    /// on two cores: <see cref="ReplayAsync"/> routes a week as soon as its trust is known. Where the store kept a
    /// rep's score for the week, that score is used: it is the trust the weekly cycle of that week routed with,
    /// computed from the pipeline as it stood then, whereas the snapshot holds every opportunity as it is now (a
    /// deal cleaned up since would look clean back then). Every week is still scored again with the trust engine
    /// at its last moment: that gives what the store does not keep (weeks of data for ramp protection, the teams)
    /// and the trust of the reps and weeks with no kept score (before LeadRouter ran, a rep hired since).
    /// </summary>
    public IReadOnlyList<Task<SimulatedWeek>> ScoreWeeks(TrustSettings trust, IReadOnlyList<(string Week, DateTimeOffset Start, DateTimeOffset End)> weeks)
    {
        var scorer = new TrustScorer(trust);
        var scored = weeks.Select(_ => new TaskCompletionSource<SimulatedWeek>(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        var next = -1;
        // Threads of their own, taking the weeks in order: the pool's threads stay free for the routing that awaits them.
        for (var worker = 0; worker < Math.Min(Environment.ProcessorCount, weeks.Count); worker++)
        {
            new Thread(() =>
            {
                for (int i; (i = Interlocked.Increment(ref next)) < weeks.Count;)
                {
                    try
                    {
                        scored[i].SetResult(ScoreWeek(scorer, weeks[i]));
                    }
                    catch (Exception e)
                    {
                        scored[i].SetException(e);
                    }
                }
            }) { IsBackground = true, Name = "simulate scoring" }.Start();
        }
        return scored.Select(s => s.Task).ToArray();
    }

    /// <summary>Replays <paramref name="rules"/> over the weeks (from <see cref="ScoreWeeks"/>), routing each as soon as its trust is scored.</summary>
    public async Task<SimulationReport> ReplayAsync(
        RoutingRules rules, IReadOnlyList<(string Week, DateTimeOffset Start, DateTimeOffset End)> weeks, IReadOnlyList<Task<SimulatedWeek>> scored)
    {
        ArgumentNullException.ThrowIfNull(weeks);
        ArgumentNullException.ThrowIfNull(scored);
        var replay = new RoutingReplay(rules, _snapshot.Leads, _snapshot.Users, _snapshot.Queues, weeks[0].Start, weeks[^1].End);
        foreach (var week in scored)
            replay.Route(await week.ConfigureAwait(false));
        return replay.Finish();
    }

    private static DateTimeOffset FirstAsOf(IReadOnlyList<(string Week, DateTimeOffset Start, DateTimeOffset End)> weeks) =>
        new SimulatedWeek(weeks[0].Week, weeks[0].Start, weeks[0].End, []).AsOf;

    private SimulatedWeek ScoreWeek(TrustScorer scorer, (string Week, DateTimeOffset Start, DateTimeOffset End) week)
    {
        var simulated = new SimulatedWeek(week.Week, week.Start, week.End, []);
        var rescored = scorer.Score(_snapshot, simulated.AsOf);
        var kept = _keptByWeek[week.Week].ToDictionary(s => s.RepId, s => new KeptTrust(s.Trust, s.Confidence), StringComparer.Ordinal);
        return simulated with { Reps = RepStandings.From(rescored, kept), TrustKept = rescored.Reps.Count(r => kept.ContainsKey(r.RepId)) };
    }
}
