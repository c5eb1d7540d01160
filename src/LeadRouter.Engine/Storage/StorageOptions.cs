namespace LeadRouter.Storage;

/// <summary>The database engines LeadRouter can keep its store in.</summary>
public enum DatabaseProvider
{
    /// <summary>An embedded file: the default, nothing to install.</summary>
    Sqlite,

    /// <summary>The production target.</summary>
    SqlServer,

    Postgres,
}

/// <summary>Where the store lives. The connection string may hold a password: it is never logged or echoed in errors.</summary>
public sealed record StorageOptions
{
    public DatabaseProvider Provider { get; init; } = DatabaseProvider.Sqlite;

    public string ConnectionString { get; init; } = "";

    /// <summary>The embedded default: a SQLite file (the folder is created on migration).</summary>
    public static StorageOptions SqliteFile(string path) => new()
    {
        Provider = DatabaseProvider.Sqlite,
        ConnectionString = $"Data Source={Path.GetFullPath(path)}",
    };
}
