using LeadRouter.Org;
using LeadRouter.Routing;
using LeadRouter.Routing.Simulation;
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
    /// Loads the snapshot with the activity the trust window of the first week needs (<paramref name="windowWeeks"/>
    /// before it) and the scores kept for the weeks.
    /// </summary>
    public static async Task<SimulationHistory> LoadAsync(
        LeadRouterDatabase database, IReadOnlyList<(string Week, DateTimeOffset Start, DateTimeOffset End)> weeks, int windowWeeks,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(weeks);
        var snapshot = await new RecordStore(database)
            .LoadSnapshotAsync(weeks[0].Start.AddDays(-7 * (windowWeeks + 1)), cancellationToken).ConfigureAwait(false);
        var kept = await new TrustScoreStore(database).ListWeeksAsync(weeks[0].Week, weeks[^1].Week, cancellationToken).ConfigureAwait(false);
        return new SimulationHistory(snapshot, kept);
    }

    /// <summary>
    /// The replay's input, with each rep's trust as it stood each week. Where the store kept a rep's score
    /// for the week, that score is used: it is the trust the weekly cycle of that week routed with, computed
    /// from the pipeline as it stood then, whereas the snapshot holds every opportunity as it is now (a deal
    /// cleaned up since would look clean back then). Every week is still scored again with the trust engine at
    /// its last moment: that gives what the store does not keep (weeks of data for ramp protection, the teams)
    /// and the trust of the reps and weeks with no kept score (before LeadRouter ran, a rep hired since).
    /// </summary>
    public SimulationInput InputFor(TrustSettings trust, IReadOnlyList<(string Week, DateTimeOffset Start, DateTimeOffset End)> weeks)
    {
        var scorer = new TrustScorer(trust);
        var replayed = weeks.AsParallel().AsOrdered().Select(week =>
        {
            var simulated = new SimulatedWeek(week.Week, week.Start, week.End, []);
            var rescored = scorer.Score(_snapshot, simulated.AsOf);
            var kept = _keptByWeek[week.Week].ToDictionary(s => s.RepId, s => new KeptTrust(s.Trust, s.Confidence), StringComparer.Ordinal);
            return simulated with { Reps = RepStandings.From(rescored, kept), TrustKept = rescored.Reps.Count(r => kept.ContainsKey(r.RepId)) };
        }).ToList();
        return new SimulationInput(replayed, _snapshot.Leads, _snapshot.Users, _snapshot.Queues);
    }
}
