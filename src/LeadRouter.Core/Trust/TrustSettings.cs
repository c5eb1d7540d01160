namespace LeadRouter.Trust;

/// <summary>
/// The knobs of the trust score. Every default is the one in the domain design
/// (docs: trust-and-routing.md); sales ops override them in the routing-rules file.
/// </summary>
public sealed record TrustSettings
{
    /// <summary>Weeks of history scored, ending with the week of the as-of moment.</summary>
    public int WindowWeeks { get; init; } = 12;

    /// <summary>Weekly observations weigh 0.5^(age_in_weeks / HalfLifeWeeks).</summary>
    public double HalfLifeWeeks { get; init; } = 4;

    /// <summary>Strength, in observations, of the beta-binomial prior toward the team mean.</summary>
    public double PriorStrength { get; init; } = 2;

    /// <summary>A team smaller than this borrows the org's mean as its prior.</summary>
    public int MinTeamSize { get; init; } = 3;

    public ComponentWeights Weights { get; init; } = new();

    /// <summary>Event.Type values that mark a one-on-one review.</summary>
    public IReadOnlyList<string> ReviewTypes { get; init; } = ["Pipeline Review"];

    /// <summary>Case-insensitive .NET regex on Event.Subject that marks a one-on-one review.</summary>
    public string ReviewSubjectPattern { get; init; } = @"\b1\s*:\s*1\b|\bone[\s-]*on[\s-]*one\b|\bpipeline\s+review\b";

    /// <summary>Task.Type values that are administrivia.</summary>
    public IReadOnlyList<string> AdminTaskTypes { get; init; } = ["Admin", "Data Entry", "Paperwork", "Operations", "Service"];

    /// <summary>Case-insensitive .NET regex on Task.Subject that marks administrivia.</summary>
    public string AdminSubjectPattern { get; init; } =
        @"\b(admin|data entry|paperwork|expense|contract|order form|invoice|billing|quote|crm update|service (issue|case)|operations|PO)\b";

    /// <summary>Delegation rate counted as full marks.</summary>
    public double DelegationTarget { get; init; } = 0.6;

    /// <summary>Task.Type / TaskSubtype values that count as selling activity when completed.</summary>
    public IReadOnlyList<string> SellingActivityTypes { get; init; } = ["Call", "Email", "Meeting"];

    /// <summary>An open opportunity with no activity for longer than this is stale.</summary>
    public int StaleAfterDays { get; init; } = 14;

    /// <summary>More close-date pushes than this within the window fails the check.</summary>
    public int MaxCloseDatePushes { get; init; } = 2;

    public IReadOnlyList<string> DecisionMakerRoles { get; init; } =
        ["Decision Maker", "Economic Buyer", "Economic Decision Maker", "Executive Sponsor"];

    /// <summary>
    /// API name of a custom date field on Opportunity holding the next-step date; when null the
    /// date comes from the earliest open Task or Event on the opportunity.
    /// </summary>
    public string? NextStepDateField { get; init; }

    /// <summary>Manager mirror: delegated tasks count as served when completed within this many working days.</summary>
    public int DelegatedTaskServiceDays { get; init; } = 5;

    /// <summary>
    /// The prior of a component nobody in the org has data for (e.g. no reviews held anywhere): 0.5,
    /// neither good nor bad. It moves every rep alike, so it shifts scores, never their order.
    /// </summary>
    public double NeutralPrior { get; init; } = 0.5;

    /// <summary>IANA time zone that defines the org's weeks (ISO weeks, Monday first).</summary>
    public string TimeZone { get; init; } = "UTC";
}

/// <summary>Weights of the four components; they must sum to 1.</summary>
public sealed record ComponentWeights
{
    public double ReviewAttendance { get; init; } = 0.35;
    public double PipelineHonesty { get; init; } = 0.30;
    public double Delegation { get; init; } = 0.20;
    public double SellingActivity { get; init; } = 0.15;

    public double Sum => ReviewAttendance + PipelineHonesty + Delegation + SellingActivity;
}
