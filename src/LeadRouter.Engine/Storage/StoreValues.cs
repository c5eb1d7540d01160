using System.Data;
using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;

namespace LeadRouter.Storage;

/// <summary>
/// How CLR values are written to and read from each engine, in one place so the bulk paths and the
/// Dapper paths agree. Moments are stored in UTC to the millisecond (Salesforce's own precision):
/// anything finer is truncated before it reaches any engine, so all three return the same instant.
/// SQLite has no date, decimal or uuid type: moments are fixed-width ISO text ("…T…:…:….fffZ", which
/// sorts chronologically), dates "yyyy-MM-dd", decimals invariant text (exact), Guids lower-case text.
/// </summary>
internal static class StoreValues
{
    private const string SqliteMomentFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
    private const string SqliteDateFormat = "yyyy-MM-dd";

    /// <summary>UTC, truncated to the millisecond.</summary>
    public static DateTimeOffset Normalize(DateTimeOffset moment)
    {
        var utc = moment.UtcTicks;
        return new DateTimeOffset(utc - (utc % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
    }

    public static string ToSqliteText(DateTimeOffset moment) =>
        Normalize(moment).UtcDateTime.ToString(SqliteMomentFormat, CultureInfo.InvariantCulture);

    public static string ToSqliteText(DateOnly date) => date.ToString(SqliteDateFormat, CultureInfo.InvariantCulture);

    public static string ToSqliteText(Guid id) => id.ToString("D");

    /// <summary>The value a SQLite parameter gets for a CLR value (null becomes DBNull).</summary>
    public static object ToSqlite(object? value) => value switch
    {
        null => DBNull.Value,
        DateTimeOffset moment => ToSqliteText(moment),
        DateOnly date => ToSqliteText(date),
        decimal number => number.ToString(CultureInfo.InvariantCulture),
        Guid id => ToSqliteText(id),
        bool flag => flag ? 1L : 0L,
        _ => value,
    };

    public static DateTimeOffset ReadMoment(object value) => value switch
    {
        string text => DateTimeOffset.ParseExact(text, SqliteMomentFormat, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
        DateTimeOffset moment => moment.ToUniversalTime(),
        // Npgsql reads timestamptz as a UTC DateTime.
        DateTime dateTime => new DateTimeOffset(DateTime.SpecifyKind(dateTime, DateTimeKind.Utc)),
        _ => throw new InvalidCastException($"Cannot read a moment from a {value.GetType().Name}."),
    };

    public static DateOnly ReadDate(object value) => value switch
    {
        string text => DateOnly.ParseExact(text, SqliteDateFormat, CultureInfo.InvariantCulture),
        DateOnly date => date,
        DateTime dateTime => DateOnly.FromDateTime(dateTime),
        _ => throw new InvalidCastException($"Cannot read a date from a {value.GetType().Name}."),
    };

    public static Guid ReadGuid(object value) => value switch
    {
        Guid id => id,
        string text => Guid.Parse(text),
        byte[] bytes => new Guid(bytes),
        _ => throw new InvalidCastException($"Cannot read a Guid from a {value.GetType().Name}."),
    };

    private static int s_registered;

    /// <summary>Dapper's handlers are process-wide, so they serve every engine: each write checks which engine the parameter is for.</summary>
    public static void RegisterDapperHandlers()
    {
        if (Interlocked.Exchange(ref s_registered, 1) == 1)
            return;
        // Dapper binds types it knows itself unless their built-in mapping is removed first.
        foreach (var type in new[] { typeof(DateTimeOffset), typeof(DateOnly), typeof(Guid) })
        {
            SqlMapper.RemoveTypeMap(type);
            SqlMapper.RemoveTypeMap(typeof(Nullable<>).MakeGenericType(type));
        }
        SqlMapper.AddTypeHandler(new MomentHandler());
        SqlMapper.AddTypeHandler(new DateHandler());
        SqlMapper.AddTypeHandler(new GuidHandler());
    }

    private sealed class MomentHandler : SqlMapper.TypeHandler<DateTimeOffset>
    {
        public override void SetValue(IDbDataParameter parameter, DateTimeOffset value)
        {
            if (parameter is SqliteParameter)
            {
                parameter.DbType = DbType.String;
                parameter.Value = ToSqliteText(value);
            }
            else
            {
                parameter.DbType = DbType.DateTimeOffset;
                parameter.Value = Normalize(value);
            }
        }

        public override DateTimeOffset Parse(object value) => ReadMoment(value);
    }

    private sealed class DateHandler : SqlMapper.TypeHandler<DateOnly>
    {
        public override void SetValue(IDbDataParameter parameter, DateOnly value)
        {
            if (parameter is SqliteParameter)
            {
                parameter.DbType = DbType.String;
                parameter.Value = ToSqliteText(value);
            }
            else
            {
                parameter.DbType = DbType.Date;
                parameter.Value = value;
            }
        }

        public override DateOnly Parse(object value) => ReadDate(value);
    }

    private sealed class GuidHandler : SqlMapper.TypeHandler<Guid>
    {
        public override void SetValue(IDbDataParameter parameter, Guid value)
        {
            if (parameter is SqliteParameter)
            {
                parameter.DbType = DbType.String;
                parameter.Value = ToSqliteText(value);
            }
            else
            {
                parameter.DbType = DbType.Guid;
                parameter.Value = value;
            }
        }

        public override Guid Parse(object value) => ReadGuid(value);
    }
}
