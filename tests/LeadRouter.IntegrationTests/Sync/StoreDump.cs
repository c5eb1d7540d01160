using System.Data.Common;
using System.Globalization;
using Dapper;
using LeadRouter.Storage;

namespace LeadRouter.IntegrationTests.Sync;

/// <summary>
/// Every row of every table of a store, as sorted text lines per table, to compare two stores whole.
/// Left out: the migration journal (when each script ran) and the watermarks' updated_at (when a page
/// was committed); everything else must match.
/// </summary>
internal static class StoreDump
{
    private static readonly HashSet<string> SkippedTables = new(StringComparer.OrdinalIgnoreCase) { "schemaversions" };
    private static readonly HashSet<string> SkippedColumns = new(StringComparer.OrdinalIgnoreCase) { "sync_watermarks.updated_at" };

    public static async Task<SortedDictionary<string, IReadOnlyList<string>>> ReadAsync(LeadRouterDatabase database)
    {
        await using var transaction = await database.BeginReadAsync(CancellationToken.None);
        var tables = await transaction.Connection.QueryAsync<string>(
            database.Provider == DatabaseProvider.Sqlite
                ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'"
                : "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
            transaction: transaction.Transaction);

        var dump = new SortedDictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var table in tables.Where(t => !SkippedTables.Contains(t)))
            dump[table.ToLowerInvariant()] = await RowsAsync(transaction.Connection, transaction.Transaction, table);
        return dump;
    }

    /// <summary>The live and deleted ids a synced table holds.</summary>
    public static async Task<IReadOnlyDictionary<string, bool>> IdsAsync(LeadRouterDatabase database, string table)
    {
        await using var transaction = await database.BeginReadAsync(CancellationToken.None);
        await using var command = transaction.Connection.CreateCommand();
        command.Transaction = transaction.Transaction;
        command.CommandText = $"SELECT id, is_deleted FROM {table}";
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new Dictionary<string, bool>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
            ids.Add(reader.GetString(0), Convert.ToBoolean(reader.GetValue(1), CultureInfo.InvariantCulture));
        return ids;
    }

    private static async Task<IReadOnlyList<string>> RowsAsync(DbConnection connection, DbTransaction transaction, string table)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT * FROM {table}";
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            var cells = new List<string>(reader.FieldCount);
            for (var i = 0; i < reader.FieldCount; i++)
            {
                var column = reader.GetName(i);
                if (!SkippedColumns.Contains($"{table}.{column}"))
                    cells.Add($"{column}={Text(reader.GetValue(i))}");
            }
            rows.Add(string.Join("|", cells));
        }
        rows.Sort(StringComparer.Ordinal);
        return rows;
    }

    private static string Text(object value) => value switch
    {
        DBNull => "null",
        DateTime moment => moment.ToString("O", CultureInfo.InvariantCulture),
        DateTimeOffset moment => moment.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
