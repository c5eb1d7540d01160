using LeadRouter.Org;
using LeadRouter.Rules;

namespace LeadRouter.Routing;

/// <summary>
/// The rules compiled for one run: picks the pool, finds each lead's tier (first matching rule) and
/// territory (first matching territory), and tells which reps a territory covers for a lead.
/// </summary>
internal sealed class LeadClassifier
{
    private readonly RoutingRules _rules;
    private readonly IReadOnlySet<string> _queueIds;
    private readonly HashSet<string> _closedStatuses;
    private readonly (string Rule, Func<Lead, bool>[] Conditions)[][] _tierRules;
    private readonly CompiledTerritory[] _territories;

    public LeadClassifier(RoutingRules rules, IReadOnlyList<Queue> queues, List<string> warnings)
    {
        _rules = rules;
        _queueIds = RoutingQueues.Resolve(rules, queues,
            entry => warnings.Add($"queue '{entry}' is not a queue of the org; it contributes no leads"));
        _closedStatuses = rules.ClosedStatuses.ToHashSet(StringComparer.OrdinalIgnoreCase);
        _tierRules = rules.Tiers
            .Select(t => t.Rules.Select(r => (r.Name, r.Conditions.Select(LeadTest).ToArray())).ToArray())
            .ToArray();
        _territories = rules.Territories.Select(t => new CompiledTerritory(t, this)).ToArray();
    }

    /// <summary>Open, unconverted leads owned by a routing queue and created by the as-of moment.</summary>
    public bool InPool(Lead lead, DateTimeOffset asOf) =>
        !lead.IsConverted
        && lead.CreatedDate <= asOf
        && (lead.Status is null || !_closedStatuses.Contains(lead.Status))
        && IdPrefix.IsQueue(lead.OwnerId)
        && (_queueIds.Contains(lead.OwnerId) || _queueIds.Contains(Ids.Key(lead.OwnerId)));

    /// <summary>The index of the lead's tier and the rule that matched, or null when no rule matches.</summary>
    public (int Tier, string Rule)? TierOf(Lead lead)
    {
        for (var t = 0; t < _tierRules.Length; t++)
        {
            foreach (var (rule, conditions) in _tierRules[t])
            {
                if (AllHold(conditions, lead))
                    return (t, rule);
            }
        }
        return null;
    }

    public bool HasTerritories => _territories.Length > 0;

    /// <summary>The index of the first territory whose conditions the lead meets; -1 when none does.</summary>
    public int TerritoryOf(Lead lead)
    {
        for (var i = 0; i < _territories.Length; i++)
        {
            if (AllHold(_territories[i].When, lead))
                return i;
        }
        return -1;
    }

    public string TerritoryName(int territory) => _territories[territory].Territory.Name;

    /// <summary>
    /// What leads of a territory must share to share reps: the lead values its rep conditions compare
    /// with (compare keys ignoring case, see <see cref="GroupKeyComparer"/>).
    /// </summary>
    public string TerritoryKey(int territory, Lead lead) => _territories[territory].Key(lead);

    /// <summary>Whether the territory covers the user for leads like <paramref name="lead"/>.</summary>
    public Func<User, bool> Covers(int territory, Lead lead) => _territories[territory].Covers(lead);

    private Func<Lead, bool> LeadTest(Condition c) =>
        Conditions.Compile(LeadField(c.Field), c.Operator, c.Values);

    private FieldAccessor<Lead> LeadField(string name) =>
        LeadFields.Find(name, _rules.CustomFields)
        ?? throw new ArgumentException($"The routing rules name the Lead field '{name}', which neither Lead nor the declared custom fields have.");

    private static bool AllHold<T>(Func<T, bool>[] tests, T record)
    {
        foreach (var test in tests)
        {
            if (!test(record))
                return false;
        }
        return true;
    }

    private sealed class CompiledTerritory
    {
        private readonly HashSet<string> _usernames;
        private readonly Func<User, bool>[] _fixedTests;
        private readonly (UserCondition Condition, FieldAccessor<User> UserField, FieldAccessor<Lead> LeadField)[] _leadLinked;

        public CompiledTerritory(Territory territory, LeadClassifier classifier)
        {
            Territory = territory;
            When = territory.When.Select(classifier.LeadTest).ToArray();
            _usernames = territory.Usernames.ToHashSet(StringComparer.OrdinalIgnoreCase);
            _fixedTests = territory.RepConditions.Where(c => c.LeadField is null)
                .Select(c => Conditions.Compile(UserField(c.Field), c.Operator, c.Values)).ToArray();
            _leadLinked = territory.RepConditions.Where(c => c.LeadField is not null)
                .Select(c => (c, UserField(c.Field), classifier.LeadField(c.LeadField!))).ToArray();
        }

        public Territory Territory { get; }
        public Func<Lead, bool>[] When { get; }

        public string Key(Lead lead) => _leadLinked.Length switch
        {
            0 => "",
            1 => KeyPart(_leadLinked[0].LeadField, lead),
            _ => string.Join('\u001f', _leadLinked.Select(l => KeyPart(l.LeadField, lead))),
        };

        private static string KeyPart(FieldAccessor<Lead> field, Lead lead) => field.ReadAsText(lead)?.Trim() ?? "\0";

        public Func<User, bool> Covers(Lead lead)
        {
            var linked = _leadLinked.Select(l => LinkedTest(l.Condition, l.UserField, l.LeadField.ReadAsText(lead))).ToArray();
            var tests = _fixedTests.Concat(linked).ToArray();
            var byConditions = Territory.RepConditions.Count > 0;
            return user => _usernames.Contains(user.Username) || (byConditions && AllHold(tests, user));
        }

        // A blank lead value matches no rep for equals (and every rep for notEquals), like a blank field elsewhere.
        private static Func<User, bool> LinkedTest(UserCondition c, FieldAccessor<User> userField, string? leadValue) =>
            string.IsNullOrWhiteSpace(leadValue)
                ? _ => c.Operator == ConditionOperator.NotEqualTo
                : Conditions.Compile(userField, c.Operator, [leadValue]);

        private static FieldAccessor<User> UserField(string name) =>
            UserFields.All.GetValueOrDefault(name)
            ?? throw new ArgumentException($"The routing rules name the User field '{name}', which User does not have.");
    }
}

/// <summary>Keys of lead groups: tier, territory, and the territory key compared ignoring case (Country "de" is "DE").</summary>
internal sealed class GroupKeyComparer : IEqualityComparer<(int Tier, int Territory, string Key)>
{
    public static GroupKeyComparer Instance { get; } = new();

    public bool Equals((int Tier, int Territory, string Key) x, (int Tier, int Territory, string Key) y) =>
        x.Tier == y.Tier && x.Territory == y.Territory && string.Equals(x.Key, y.Key, StringComparison.OrdinalIgnoreCase);

    public int GetHashCode((int Tier, int Territory, string Key) key) =>
        HashCode.Combine(key.Tier, key.Territory, StringComparer.OrdinalIgnoreCase.GetHashCode(key.Key));
}
