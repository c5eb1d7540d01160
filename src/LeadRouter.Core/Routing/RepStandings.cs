using LeadRouter.Trust;

namespace LeadRouter.Routing;

/// <summary>A rep's trust and confidence as a weekly cycle kept them (the store's weekly scores).</summary>
public sealed record KeptTrust(double Trust, double Confidence);

/// <summary>Trust as routing reads it: each rep's trust, confidence, weeks of data and their team's mean trust.</summary>
public static class RepStandings
{
    /// <summary>
    /// The standings of a trust report. Where <paramref name="kept"/> holds a rep's score (by rep id), its
    /// trust and confidence replace the report's; the team mean (ramp protection) is over the trust used.
    /// </summary>
    public static IReadOnlyList<RepStanding> From(TrustReport trust, IReadOnlyDictionary<string, KeptTrust>? kept = null)
    {
        ArgumentNullException.ThrowIfNull(trust);
        var used = trust.Reps
            .Select(r => (Rep: r, Score: kept?.GetValueOrDefault(r.RepId) ?? new KeptTrust(r.Trust, r.Confidence)))
            .ToList();
        var teamMean = used
            .GroupBy(u => u.Rep.ManagerId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Average(u => u.Score.Trust), StringComparer.Ordinal);
        return used
            .Select(u => new RepStanding(u.Rep.RepId, u.Score.Trust, u.Score.Confidence, u.Rep.WeeksOfData, teamMean[u.Rep.ManagerId]))
            .ToList();
    }
}
