using LeadRouter.Routing;
using LeadRouter.Rules;
using LeadRouter.Trust;

namespace LeadRouter.Digest;

/// <summary>
/// What one manager reads on Monday: each rep's trust with its trend and reasons, the leads
/// recommended for each rep and why, the opportunities to raise in the next one-on-one, and the
/// manager's own mirror (reviews held, delegated work served).
/// </summary>
public sealed record ManagerDigest(
    string ManagerId,
    string ManagerName,
    string Week,
    DateTimeOffset AsOf,
    ManagerMirror? Mirror,
    IReadOnlyList<RepDigest> Reps)
{
    public int LeadsRecommended => Reps.Sum(r => r.Leads.Count(l => l.Mode == RoutingMode.Recommend));
    public int LeadsAutoAssigned => Reps.Sum(r => r.Leads.Count(l => l.Mode == RoutingMode.AutoAssign));
    public int OpportunitiesToRaise => Reps.Sum(r => r.Trust.OpportunitiesToRaise.Count);

    /// <summary>Builds every manager's digest from one cycle's trust report and routing run, managers by id.</summary>
    public static IReadOnlyList<ManagerDigest> Build(TrustReport trust, RoutingRun routing)
    {
        var leadsByRep = routing.Decisions
            .GroupBy(d => d.RepId, StringComparer.Ordinal)
            .ToDictionary(
                g => g.Key,
                g => (IReadOnlyList<DigestLead>)g.Select(d => new DigestLead(
                        d.LeadId, d.Lead.Company, d.Tier, d.Mode, d.Why))
                    .ToList(),
                StringComparer.Ordinal);
        var mirrors = trust.Managers.ToDictionary(m => m.ManagerId, StringComparer.Ordinal);
        return trust.Reps
            .GroupBy(r => r.ManagerId, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(team =>
            {
                mirrors.TryGetValue(team.Key, out var mirror);
                var reps = team
                    .OrderByDescending(r => r.Trust)
                    .ThenBy(r => r.RepId, StringComparer.Ordinal)
                    .Select(r => new RepDigest(r, leadsByRep.GetValueOrDefault(r.RepId, [])))
                    .ToList();
                return new ManagerDigest(team.Key, mirror?.Name ?? team.Key, trust.Week, trust.AsOf, mirror, reps);
            })
            .ToList();
    }
}

public sealed record RepDigest(RepTrust Trust, IReadOnlyList<DigestLead> Leads);

public sealed record DigestLead(string LeadId, string? Company, string Tier, RoutingMode Mode, string Why);
