using System.Net;
using System.Net.Sockets;

namespace LeadRouter.Salesforce;

/// <summary>
/// Bounded exponential backoff with jitter for transient Salesforce failures. The wait itself is
/// injectable so tests run instantly and can see every delay chosen.
/// </summary>
internal sealed class RetryPolicy(int maxRetries, TimeSpan baseDelay, TimeSpan maxDelay, Func<TimeSpan, CancellationToken, Task> wait)
{
    public int MaxRetries { get; } = maxRetries;

    /// <summary>
    /// The delay before retry number <paramref name="retry"/> (1-based): half of
    /// min(max, base·2^(retry-1)) fixed plus up to the other half at random, so clients that failed
    /// together do not come back together. A server's Retry-After is honoured up to the maximum.
    /// </summary>
    public TimeSpan DelayFor(int retry, TimeSpan? retryAfter)
    {
        var ceiling = Math.Min(maxDelay.TotalMilliseconds, baseDelay.TotalMilliseconds * Math.Pow(2, retry - 1));
        var delay = TimeSpan.FromMilliseconds(ceiling / 2 + Random.Shared.NextDouble() * ceiling / 2);
        if (retryAfter is { } asked && asked > delay)
            delay = asked < maxDelay ? asked : maxDelay;
        return delay;
    }

    public Task WaitAsync(int retry, TimeSpan? retryAfter, CancellationToken cancellationToken) =>
        wait(DelayFor(retry, retryAfter), cancellationToken);

    /// <summary>A transport failure worth another try: a timeout or a dropped/reset connection (not the caller's cancellation).</summary>
    public static bool IsTransient(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        // HttpClient reports its own timeout as a cancellation the caller did not ask for.
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.ResponseEnded } => true,
        HttpRequestException { InnerException: IOException or SocketException } => true,
        IOException => true,
        _ => false,
    };

    public static bool IsTransient(HttpStatusCode status) => status == HttpStatusCode.ServiceUnavailable;
}
