using LeadRouter.Trust;

namespace LeadRouter.Rules;

// The routing rules as sales ops write them in the rules file (see routing-rules.example.jsonc),
// after validation. RulesFile builds them; the routing engine reads them.

/// <summary>How the eligible reps of a lead share it.</summary>
public enum RoutingPolicy
{
    /// <summary>Smooth weighted round robin with weight trust²: the best reps get most leads, not all.</summary>
    TrustWeighted,

    /// <summary>Highest trust first, until that rep's capacity is used.</summary>
    StrictTrust,

    /// <summary>Equal shares, in turn.</summary>
    RoundRobin,
}

/// <summary>What happens to a routed lead of a tier.</summary>
public enum RoutingMode
{
    /// <summary>The manager approves in the weekly digest; nothing changes in Salesforce until then.</summary>
    Recommend,

    /// <summary>The routing consumer sets Lead.OwnerId.</summary>
    AutoAssign,
}

public enum ConditionOperator
{
    EqualTo,
    NotEqualTo,
    In,
    NotIn,
    GreaterThan,
    LessThan,
    Contains,
    StartsWith,
    IsBlank,
    IsNotBlank,
    Matches,
}

/// <summary>
/// A test on one field. <see cref="Values"/> holds the operand(s) in invariant text form: one value
/// for most operators, several for In/NotIn, none for IsBlank/IsNotBlank, the pattern for Matches.
/// </summary>
public sealed record Condition(string Field, ConditionOperator Operator, IReadOnlyList<string> Values);

/// <summary>One ordered rule of a tier: all conditions must hold; no conditions is a catch-all.</summary>
public sealed record TierRule(string Name, IReadOnlyList<Condition> Conditions)
{
    public bool IsCatchAll => Conditions.Count == 0;
}

/// <summary>A lead tier (A, B, C...) with who may take its leads and how many a week.</summary>
public sealed record Tier(
    string Name,
    IReadOnlyList<TierRule> Rules,
    double MinTrust = 0,
    double MinConfidence = 0,
    int? WeeklyCapacity = null,
    RoutingMode Mode = RoutingMode.Recommend);

/// <summary>
/// A condition on a User field that selects the reps of a territory. The operand is either fixed
/// (<see cref="Values"/>) or taken from the lead being routed (<see cref="LeadField"/>, e.g. User.Country
/// equals Lead.Country).
/// </summary>
public sealed record UserCondition(string Field, ConditionOperator Operator, IReadOnlyList<string> Values, string? LeadField = null);

/// <summary>
/// Leads matching <see cref="When"/> (all conditions; none = every lead) are served by the reps named
/// in <see cref="Usernames"/> plus the users matching every one of <see cref="RepConditions"/>.
/// Territories are ordered; a lead belongs to the first one it matches.
/// </summary>
public sealed record Territory(
    string Name,
    IReadOnlyList<Condition> When,
    IReadOnlyList<string> Usernames,
    IReadOnlyList<UserCondition> RepConditions);

/// <summary>Guardrails that keep routing fair to new and low-volume reps.</summary>
public sealed record FairnessSettings
{
    /// <summary>A rep with fewer weeks of data than this is scored at max(own trust, team mean).</summary>
    public int RampWeeks { get; init; } = 4;

    /// <summary>Every eligible rep gets at least this many leads a week when there are enough leads.</summary>
    public int WeeklyFloor { get; init; } = 1;
}

public sealed record RoutingRules
{
    /// <summary>Queues whose leads are routed, by id or DeveloperName.</summary>
    public required IReadOnlyList<string> Queues { get; init; }

    /// <summary>Lead.Status values of closed leads, which never enter the pool.</summary>
    public IReadOnlyList<string> ClosedStatuses { get; init; } = DefaultClosedStatuses;

    /// <summary>Lead custom fields (API names) the conditions may use.</summary>
    public IReadOnlyList<string> CustomFields { get; init; } = [];

    /// <summary>Tiers in priority order; a lead takes the tier of the first rule it matches.</summary>
    public required IReadOnlyList<Tier> Tiers { get; init; }

    /// <summary>Ordered territories; none configured means every rep covers every lead.</summary>
    public IReadOnlyList<Territory> Territories { get; init; } = [];

    /// <summary>Usernames of reps who take no leads for now (leave, full pipeline).</summary>
    public IReadOnlyList<string> UnavailableReps { get; init; } = [];

    public RoutingPolicy Policy { get; init; } = RoutingPolicy.TrustWeighted;

    public FairnessSettings Fairness { get; init; } = new();

    public TrustSettings Trust { get; init; } = new();

    /// <summary>Free label sales ops give the file (e.g. a date); empty when not set.</summary>
    public string Version { get; init; } = "";

    /// <summary>SHA-256 of the rules file text, so a run names the exact rules it used; empty for rules built in code.</summary>
    public string Hash { get; init; } = "";

    public static IReadOnlyList<string> DefaultClosedStatuses { get; } = ["Closed - Converted", "Closed - Not Converted"];
}
