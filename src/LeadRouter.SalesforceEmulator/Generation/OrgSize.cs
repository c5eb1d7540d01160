namespace LeadRouter.SalesforceEmulator.Generation;

/// <summary>How big a synthetic org to generate: Small = 20 reps, Medium = 200, Large = 2,000.</summary>
public enum OrgSize
{
    Small,
    Medium,
    Large,
}

public static class OrgSizes
{
    /// <summary>Parses "small", "medium" or "large" (any case); throws naming the bad value otherwise.</summary>
    public static OrgSize Parse(string? text) =>
        text?.Trim().ToLowerInvariant() switch
        {
            "small" => OrgSize.Small,
            "medium" => OrgSize.Medium,
            "large" => OrgSize.Large,
            _ => throw new ArgumentException($"Unknown org size '{text}': expected small, medium or large.", nameof(text)),
        };
}

/// <summary>
/// Head counts of one size. Everything else (opportunities, activity, leads) follows from the
/// reps and their personas, so the sizes scale together: medium is a tenth of large.
/// </summary>
internal sealed record SizeProfile(int Reps, int Managers, int QueuedLeadsPerRep)
{
    /// <summary>Managers under each VP; the CEO sits above the VPs.</summary>
    public const int ManagersPerVp = 10;

    public int Vps => (Managers + ManagersPerVp - 1) / ManagersPerVp;

    public static SizeProfile Of(OrgSize size) => size switch
    {
        OrgSize.Small => new(Reps: 20, Managers: 3, QueuedLeadsPerRep: 50),
        OrgSize.Medium => new(Reps: 200, Managers: 25, QueuedLeadsPerRep: 50),
        OrgSize.Large => new(Reps: 2_000, Managers: 250, QueuedLeadsPerRep: 50),
        _ => throw new ArgumentOutOfRangeException(nameof(size), size, "Unknown org size."),
    };
}
