namespace LeadRouter.SalesforceEmulator.Limits;

/// <summary>
/// The org's daily API request counter (Salesforce's DailyApiRequests). Counts authenticated
/// data calls per UTC day; once the day's limit is used, calls fail with REQUEST_LIMIT_EXCEEDED
/// until the next UTC day.
/// </summary>
public sealed class ApiUsage(long dailyLimit, TimeProvider clock)
{
    private readonly Lock _gate = new();
    private DateOnly _day;
    private long _used;

    public long DailyLimit { get; } = dailyLimit > 0
        ? dailyLimit
        : throw new ArgumentOutOfRangeException(nameof(dailyLimit), dailyLimit, "The daily API limit must be at least 1.");

    /// <summary>Calls counted so far today.</summary>
    public long Used
    {
        get
        {
            lock (_gate)
            {
                RollDay();
                return _used;
            }
        }
    }

    /// <summary>Counts one call when the limit allows it; returns false (counting nothing) when the day's limit is used up.</summary>
    internal bool TryCount(out long used)
    {
        lock (_gate)
        {
            RollDay();
            if (_used >= DailyLimit)
            {
                used = _used;
                return false;
            }
            used = ++_used;
            return true;
        }
    }

    /// <summary>Sets today's count, e.g. to start a test close to the limit.</summary>
    public void SetUsed(long used)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(used);
        lock (_gate)
        {
            RollDay();
            _used = used;
        }
    }

    /// <summary>The value of the Sforce-Limit-Info response header.</summary>
    internal string Header(long used) => $"api-usage={used}/{DailyLimit}";

    private void RollDay()
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        if (today != _day)
        {
            _day = today;
            _used = 0;
        }
    }
}
