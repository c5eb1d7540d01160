using System.Collections.Concurrent;
using LeadRouter.Org;

namespace LeadRouter.SalesforceEmulator.Http;

/// <summary>
/// Open query locators: the rows of a query whose first page did not hold them all. A locator
/// idle for 15 minutes is dropped, as Salesforce does, and then answers INVALID_QUERY_LOCATOR.
/// </summary>
internal sealed class QueryCursors(TimeProvider clock)
{
    private static readonly TimeSpan IdleLimit = TimeSpan.FromMinutes(15);
    private readonly ConcurrentDictionary<string, Cursor> _open = new(StringComparer.Ordinal);
    private long _sequence;

    /// <summary>Opens a locator ("01g..." like Salesforce's) over rows.</summary>
    public string Open(IReadOnlyList<IReadOnlyDictionary<string, object?>> rows, int batchSize)
    {
        var now = clock.GetUtcNow();
        foreach (var (key, idle) in _open)
        {
            if (now - idle.LastUsed > IdleLimit)
                _open.TryRemove(key, out _);
        }
        var locator = SalesforceId.Create("01g", Interlocked.Increment(ref _sequence));
        _open[locator] = new Cursor(rows, batchSize) { LastUsed = now };
        return locator;
    }

    /// <summary>The cursor of a live locator; null when unknown or expired.</summary>
    public Cursor? Find(string locator)
    {
        if (!_open.TryGetValue(locator, out var cursor))
            return null;
        var now = clock.GetUtcNow();
        if (now - cursor.LastUsed > IdleLimit)
        {
            _open.TryRemove(locator, out _);
            return null;
        }
        cursor.LastUsed = now;
        return cursor;
    }

    internal sealed class Cursor(IReadOnlyList<IReadOnlyDictionary<string, object?>> rows, int batchSize)
    {
        public IReadOnlyList<IReadOnlyDictionary<string, object?>> Rows { get; } = rows;
        public int BatchSize { get; } = batchSize;
        public DateTimeOffset LastUsed { get; set; }
    }
}
