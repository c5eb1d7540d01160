using System.Collections.Concurrent;

namespace LeadRouter.SalesforceEmulator;

/// <summary>
/// One record write the emulator accepted, with the Sforce-Auto-Assign header the client sent
/// (null when absent): tests of the routing consumer check that it asked Salesforce not to re-route.
/// </summary>
public sealed record RecordedWrite(
    string Operation,
    string ObjectName,
    string Id,
    IReadOnlyDictionary<string, object?> Fields,
    string? AutoAssign,
    DateTimeOffset At);

/// <summary>The most recent accepted writes, oldest first, bounded so a long run cannot exhaust memory.</summary>
internal sealed class WriteLog
{
    private const int Capacity = 10_000;
    private readonly ConcurrentQueue<RecordedWrite> _writes = new();

    public void Add(RecordedWrite write)
    {
        _writes.Enqueue(write);
        while (_writes.Count > Capacity)
            _writes.TryDequeue(out _);
    }

    public IReadOnlyList<RecordedWrite> Snapshot() => [.. _writes];

    public void Clear() => _writes.Clear();
}
