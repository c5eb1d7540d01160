using LeadRouter.Org;
using LeadRouter.Rules;

namespace LeadRouter.Routing;

/// <summary>
/// The users who could take leads (not the trust roster, which decides who is a rep and builds teams), indexed 0..Count-1 in id order (the deterministic tie-break):
/// every user with a manager (a rep, per the domain) and every user with a trust standing. Holds
/// what does not change during a run: scored trust (ramp protection applied), weight, and the
/// personal reasons a rep takes nothing (inactive, unavailable, not scored).
/// </summary>
internal sealed class LeadTakers
{
    private readonly Dictionary<string, int> _byId = new(StringComparer.Ordinal);

    public LeadTakers(RoutingRules rules, RoutingInput input, List<string> warnings)
    {
        var standings = new Dictionary<string, RepStanding>(StringComparer.Ordinal);
        foreach (var standing in input.Reps)
        {
            CheckStanding(standing);
            if (!standings.TryAdd(Ids.Key(standing.RepId), standing))
                throw new ArgumentException($"Rep {standing.RepId} has more than one trust standing in the routing input.", nameof(input));
        }

        Users = input.Users
            .Where(u => u.ManagerId is not null || standings.ContainsKey(Ids.Key(u.Id)))
            .OrderBy(u => Ids.Key(u.Id), StringComparer.Ordinal)
            .ToArray();
        var unavailable = rules.UnavailableReps.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var usernames = input.Users.Select(u => u.Username).ToHashSet(StringComparer.OrdinalIgnoreCase);
        warnings.AddRange(unavailable.Where(u => !usernames.Contains(u)).Order(StringComparer.Ordinal)
            .Select(u => $"unavailable rep '{u}' is not a user of the org"));
        warnings.AddRange(rules.Territories.SelectMany(t => t.Usernames.Where(u => !usernames.Contains(u))
            .Select(u => $"territory {t.Name} names '{u}', who is not a user of the org")));

        Views = new EligibleRep?[Users.Length];
        Weights = new double[Users.Length];
        PersonalExclusion = new ExclusionReason?[Users.Length];
        for (var i = 0; i < Users.Length; i++)
        {
            var user = Users[i];
            if (!_byId.TryAdd(Ids.Key(user.Id), i))
                throw new ArgumentException($"User {user.Id} appears more than once in the routing input.", nameof(input));
            if (standings.TryGetValue(Ids.Key(user.Id), out var s))
            {
                // Ramp protection: a rep still building a record is scored at the team mean, never below it.
                var ramping = s.IsRamping(rules.Fairness);
                var scored = ramping ? Math.Max(s.Trust, s.TeamMeanTrust) : s.Trust;
                Views[i] = new EligibleRep(user.Id, user.Name, s.Trust, scored, s.Confidence, ramping);
                Weights[i] = rules.Policy switch
                {
                    // trust² favours trusted reps without starving others; below 1 counts as 1 so a zero score still gets a turn.
                    RoutingPolicy.TrustWeighted => Math.Pow(Math.Max(scored, 1), 2),
                    _ => 1,
                };
            }
            PersonalExclusion[i] = PersonalExclusionOf(user, unavailable);
        }
    }

    public User[] Users { get; }
    public int Count => Users.Length;

    /// <summary>The rep as decisions show them; null when the rep has no trust standing.</summary>
    public EligibleRep?[] Views { get; }

    public double[] Weights { get; }

    /// <summary>Inactive or unavailable: excluded from every lead, whatever the territory.</summary>
    public ExclusionReason?[] PersonalExclusion { get; }

    /// <summary>Why this user takes no leads at all (inactive, or named unavailable in the rules), or null.</summary>
    public static ExclusionReason? PersonalExclusionOf(User user, IReadOnlySet<string> unavailableUsernames) =>
        !user.IsActive ? ExclusionReason.Inactive
        : unavailableUsernames.Contains(user.Username) ? ExclusionReason.Unavailable
        : null;

    public int? IndexOf(string userId) => _byId.TryGetValue(Ids.Key(userId), out var i) ? i : null;

    private static void CheckStanding(RepStanding s)
    {
        if (!(s.Trust is >= 0 and <= 100) || !(s.TeamMeanTrust is >= 0 and <= 100))
            throw new ArgumentException($"Rep {s.RepId}: trust {s.Trust} and team mean {s.TeamMeanTrust} must be between 0 and 100.");
        if (!(s.Confidence is >= 0 and <= 1))
            throw new ArgumentException($"Rep {s.RepId}: confidence {s.Confidence} must be between 0 and 1.");
        if (s.WeeksOfData < 0)
            throw new ArgumentException($"Rep {s.RepId}: weeks of data {s.WeeksOfData} must not be negative.");
    }
}

/// <summary>Salesforce ids compared in their 18-character form, so a 15-character id from a report still matches.</summary>
internal static class Ids
{
    public static string Key(string id) => SalesforceId.TryNormalize(id, out var normalized) ? normalized : id;
}
