using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace LeadRouter.Storage;

/// <summary>
/// Store errors a moment later may not repeat: SQLite busy or locked beyond its busy timeout (another
/// connection holds the write lock), and what Npgsql calls transient (the server restarting, refusing or
/// dropping connections). A job whose unit of work can run again from its start retries it on them.
/// </summary>
public static class TransientStoreErrors
{
    /// <summary>What the log says each time a unit meets such an error and is run again.</summary>
    public const string Unavailable = "the store is unavailable for now";

    internal const int SqliteBusy = 5;
    private const int SqliteLocked = 6;

    /// <summary>Waits between attempts: about 15 s in all, longer than a PostgreSQL fast restart.</summary>
    private static readonly TimeSpan[] Waits = [.. new[] { 0.5, 1, 2, 4, 8 }.Select(TimeSpan.FromSeconds)];

    public static bool IsTransient(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is SqliteException { SqliteErrorCode: SqliteBusy or SqliteLocked } or DbException { IsTransient: true })
                return true;
        }
        return false;
    }

    /// <summary>
    /// Runs <paramref name="unit"/>, running it again after a transient store error (five more times at
    /// most); the last error is thrown. The unit must be safe to repeat: what it committed stays, the rest
    /// was rolled back.
    /// </summary>
    public static async Task<T> RetryAsync<T>(Func<Task<T>> unit, ILogger logger, string what, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await unit().ConfigureAwait(false);
            }
            catch (Exception e) when (attempt < Waits.Length && IsTransient(e) && !cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning("{What}: " + Unavailable + " ({Error}); trying again in {Wait}", what, e.Message, Waits[attempt]);
                await Task.Delay(Waits[attempt], cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
