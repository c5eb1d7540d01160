using System.Diagnostics;

namespace LeadRouter.Cycle;

/// <summary>
/// Reliability drills: when the environment variable LEADROUTER_CRASH_AT names a point, the process
/// kills itself there as kill -9 would (no finally block runs, nothing is flushed), so a test can check
/// that the next run finishes the work. Unset, as in production, it does nothing.
/// </summary>
public static class CrashDrill
{
    public const string Variable = "LEADROUTER_CRASH_AT";

    /// <summary>The weekly cycle's run, recommendations and outbox are committed; nothing is published yet.</summary>
    public const string CycleSaved = "cycle-saved";

    /// <summary>A batch of outbox messages is marked sent; on the in-memory bus they may not be consumed yet.</summary>
    public const string OutboxSent = "outbox-sent";

    /// <summary>Owners are written in Salesforce; their outcomes are not recorded yet.</summary>
    public const string OwnerWritten = "owner-written";

    private static readonly string? Point = Environment.GetEnvironmentVariable(Variable);

    public static void At(string point)
    {
        if (string.Equals(Point, point, StringComparison.Ordinal))
            Process.GetCurrentProcess().Kill();
    }
}
