using System.Diagnostics;
using System.Globalization;

namespace LeadRouter.Cycle;

/// <summary>
/// Reliability drills: when the environment variable LEADROUTER_CRASH_AT names a point ("owner-written"),
/// or a point and which time the process passes it ("sync-page:3"), the process kills itself there as
/// kill -9 would (no finally block runs, nothing is flushed), so a test can check that the next run
/// finishes the work. Unset, as in production, it does nothing.
/// </summary>
public static class CrashDrill
{
    public const string Variable = "LEADROUTER_CRASH_AT";

    /// <summary>A batch of synced rows is committed with the object's watermark so far; the object's pull goes on.</summary>
    public const string SyncPageStored = "sync-page";

    /// <summary>An object's pull is done, its watermark saved; the next object is not started.</summary>
    public const string SyncObjectDone = "sync-object";

    /// <summary>Reps are scored and leads routed; nothing of the run is saved.</summary>
    public const string Scored = "scored";

    /// <summary>A manager's digest files are written; the run is not saved.</summary>
    public const string DigestWritten = "digest-written";

    /// <summary>The weekly cycle's run, recommendations and outbox are committed; nothing is published yet.</summary>
    public const string CycleSaved = "cycle-saved";

    /// <summary>A batch of outbox messages is published; it is not marked sent yet.</summary>
    public const string OutboxPublished = "outbox-published";

    /// <summary>A batch of outbox messages is marked sent; on the in-memory bus they may not be consumed yet.</summary>
    public const string OutboxSent = "outbox-sent";

    /// <summary>The consumer has re-read its leads and is about to write their owners to Salesforce.</summary>
    public const string OwnerWriting = "owner-writing";

    /// <summary>Owners are written in Salesforce; their outcomes are not recorded yet.</summary>
    public const string OwnerWritten = "owner-written";

    /// <summary>Outcomes are recorded with their LeadAssigned events in the outbox; the events are not published yet.</summary>
    public const string AssignmentRecorded = "assignment-recorded";

    private static readonly (string Point, int Time)? Target = Parse(Environment.GetEnvironmentVariable(Variable));
    private static int _passed;

    public static void At(string point)
    {
        if (Target is not { } target || !string.Equals(target.Point, point, StringComparison.Ordinal))
            return;
        if (Interlocked.Increment(ref _passed) != target.Time)
            return;
        // The one line a test can check the kill against; stderr is not buffered.
        Console.Error.WriteLine($"crash drill: killed at {point}:{target.Time}");
        Process.GetCurrentProcess().Kill();
    }

    private static (string, int)? Parse(string? value)
    {
        if (string.IsNullOrEmpty(value))
            return null;
        var parts = value.Split(':', 2);
        return (parts[0], parts.Length == 2 ? int.Parse(parts[1], CultureInfo.InvariantCulture) : 1);
    }
}
