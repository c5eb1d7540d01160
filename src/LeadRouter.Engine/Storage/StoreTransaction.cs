using System.Data.Common;

namespace LeadRouter.Storage;

/// <summary>
/// One open connection with one transaction on the store. Every store method has an overload that
/// takes one, so a caller can commit several writes together (a page of synced records and its
/// watermark; a consumed message and its effects). Disposing without <see cref="CommitAsync"/> rolls back.
/// </summary>
public sealed class StoreTransaction : IAsyncDisposable
{
    /// <summary>The in-process turn of a SQLite write transaction, given back when this one ends.</summary>
    private SemaphoreSlim? _writerTurn;

    internal StoreTransaction(DbConnection connection, DbTransaction transaction, SqlDialect dialect, SemaphoreSlim? writerTurn = null)
    {
        Connection = connection;
        Transaction = transaction;
        Dialect = dialect;
        _writerTurn = writerTurn;
    }

    internal DbConnection Connection { get; }

    internal DbTransaction Transaction { get; }

    internal SqlDialect Dialect { get; }

    /// <summary>Values bound as one list (<see cref="SqlDialect.AnyOf"/>) per statement: SQL Server takes at most 2,100 parameters.</summary>
    internal const int MaxListLength = 1000;

    public Task CommitAsync(CancellationToken cancellationToken = default) =>
        Transaction.CommitAsync(cancellationToken);

    public Task RollbackAsync(CancellationToken cancellationToken = default) =>
        Transaction.RollbackAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        try
        {
            // Disposing an uncommitted transaction rolls it back.
            await Transaction.DisposeAsync().ConfigureAwait(false);
            await Connection.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            // Once, however often this is disposed.
            Interlocked.Exchange(ref _writerTurn, null)?.Release();
        }
    }
}
