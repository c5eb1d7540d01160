namespace LeadRouter.SalesforceEmulator.Faults;

/// <summary>
/// Faults the emulator injects, switchable at start (CLI flags) and at run time (host API or
/// POST /_emulator/faults). Rates are shares between 0 and 1 drawn from a Random seeded with
/// <see cref="Seed"/>, so the same requests in the same order meet the same faults.
/// </summary>
public sealed record FaultSettings
{
    public static FaultSettings None { get; } = new();

    /// <summary>Every session becomes invalid (401 INVALID_SESSION_ID) after this many data calls; null = never.</summary>
    public int? SessionExpiresAfterCalls { get; init; }

    /// <summary>Share of data calls answered 503 SERVER_UNAVAILABLE.</summary>
    public double UnavailableRate { get; init; }

    /// <summary>Delay added before every data call is answered.</summary>
    public int LatencyMs { get; init; }

    /// <summary>Share of record writes (single or inside a collection) that fail with UNABLE_TO_LOCK_ROW, a retriable error.</summary>
    public double LockRowRate { get; init; }

    /// <summary>Share of records in collection writes and composite subrequests rejected with FIELD_CUSTOM_VALIDATION_EXCEPTION, a permanent error.</summary>
    public double CollectionFailureRate { get; init; }

    /// <summary>Share of Bulk API 2.0 query jobs that end in the Failed state (with an errorMessage) instead of JobComplete.</summary>
    public double BulkJobFailureRate { get; init; }

    public int Seed { get; init; } = 1;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        if (SessionExpiresAfterCalls is < 1)
            throw new ArgumentException($"sessionExpiresAfterCalls must be at least 1, got {SessionExpiresAfterCalls}.");
        CheckRate(nameof(UnavailableRate), UnavailableRate);
        CheckRate(nameof(LockRowRate), LockRowRate);
        CheckRate(nameof(CollectionFailureRate), CollectionFailureRate);
        CheckRate(nameof(BulkJobFailureRate), BulkJobFailureRate);
        if (LatencyMs is < 0 or > 60_000)
            throw new ArgumentException($"latencyMs must be between 0 and 60000, got {LatencyMs}.");
    }

    private static void CheckRate(string name, double value)
    {
        if (double.IsNaN(value) || value is < 0 or > 1)
            throw new ArgumentException($"{char.ToLowerInvariant(name[0])}{name[1..]} must be between 0 and 1, got {value}.");
    }
}
