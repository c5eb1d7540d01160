using System.Data;
using System.Globalization;
using System.Text;
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

    /// <summary>"yyyy-MM-ddTHH:mm:ss.fffZ"; see <see cref="WriteSqliteText(DateTimeOffset, Span{byte})"/>.</summary>
    public static string ToSqliteText(DateTimeOffset moment)
    {
        Span<byte> ascii = stackalloc byte[SqliteMomentLength];
        return Encoding.ASCII.GetString(ascii[..WriteSqliteText(moment, ascii)]);
    }

    public static string ToSqliteText(DateOnly date)
    {
        Span<byte> ascii = stackalloc byte[SqliteDateLength];
        return Encoding.ASCII.GetString(ascii[..WriteSqliteText(date, ascii)]);
    }

    private const int SqliteMomentLength = 24;
    private const int SqliteDateLength = 10;

    /// <summary>
    /// Writes the moment's store text as ASCII ("yyyy-MM-ddTHH:mm:ss.fffZ", UTF-8 as it is) digit by digit, as
    /// the bulk upsert binds it: the sync writes millions. Returns the bytes written (24).
    /// </summary>
    public static int WriteSqliteText(DateTimeOffset moment, Span<byte> text)
    {
        var at = Normalize(moment).UtcDateTime;
        WriteDate(text, at.Year, at.Month, at.Day);
        text[10] = (byte)'T';
        Digits(text[11..13], at.Hour);
        text[13] = (byte)':';
        Digits(text[14..16], at.Minute);
        text[16] = (byte)':';
        Digits(text[17..19], at.Second);
        text[19] = (byte)'.';
        Digits(text[20..23], at.Millisecond);
        text[23] = (byte)'Z';
        return SqliteMomentLength;
    }

    /// <summary>Writes "yyyy-MM-dd" as ASCII; returns the bytes written (10).</summary>
    public static int WriteSqliteText(DateOnly date, Span<byte> text)
    {
        WriteDate(text, date.Year, date.Month, date.Day);
        return SqliteDateLength;
    }

    private static void WriteDate(Span<byte> text, int year, int month, int day)
    {
        Digits(text[..4], year);
        text[4] = (byte)'-';
        Digits(text[5..7], month);
        text[7] = (byte)'-';
        Digits(text[8..10], day);
    }

    /// <summary>Writes <paramref name="value"/> zero-padded to the span's width.</summary>
    private static void Digits(Span<byte> text, int value)
    {
        for (var i = text.Length - 1; i >= 0; i--)
        {
            text[i] = (byte)('0' + value % 10);
            value /= 10;
        }
    }

    public static string ToSqliteText(Guid id) => id.ToString("D");

    public static DateTimeOffset ReadMoment(object value) => value switch
    {
        string text => ParseSqliteMoment(text),
        DateTimeOffset moment => moment.ToUniversalTime(),
        // Npgsql reads timestamptz as a UTC DateTime.
        DateTime dateTime => new DateTimeOffset(DateTime.SpecifyKind(dateTime, DateTimeKind.Utc)),
        _ => throw new InvalidCastException($"Cannot read a moment from a {value.GetType().Name}."),
    };

    public static DateOnly ReadDate(object value) => value switch
    {
        string text => ParseSqliteDate(text),
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

    /// <summary>
    /// Reads the store's own fixed-width moment text ("yyyy-MM-ddTHH:mm:ss.fffZ") digit by digit: a snapshot
    /// reads millions, and the general parser costs several times more. Anything else goes to the general
    /// parser, which rejects it with its usual error.
    /// </summary>
    public static DateTimeOffset ParseSqliteMoment(ReadOnlySpan<char> text)
    {
        if (text.Length == 24 && text[4] == '-' && text[7] == '-' && text[10] == 'T' && text[13] == ':' && text[16] == ':' &&
            text[19] == '.' && text[23] == 'Z' &&
            TryDigits(text, 0, 4, out var year) && TryDigits(text, 5, 2, out var month) && TryDigits(text, 8, 2, out var day) &&
            TryDigits(text, 11, 2, out var hour) && TryDigits(text, 14, 2, out var minute) && TryDigits(text, 17, 2, out var second) &&
            TryDigits(text, 20, 3, out var millisecond) &&
            month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(Math.Max(year, 1), month) &&
            year >= 1 && hour < 24 && minute < 60 && second < 60)
        {
            return new DateTimeOffset(year, month, day, hour, minute, second, millisecond, TimeSpan.Zero);
        }
        return DateTimeOffset.ParseExact(text, SqliteMomentFormat, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
    }

    /// <summary>Reads the store's "yyyy-MM-dd" date text; see <see cref="ParseSqliteMoment"/>.</summary>
    public static DateOnly ParseSqliteDate(ReadOnlySpan<char> text)
    {
        if (text.Length == 10 && text[4] == '-' && text[7] == '-' &&
            TryDigits(text, 0, 4, out var year) && TryDigits(text, 5, 2, out var month) && TryDigits(text, 8, 2, out var day) &&
            year >= 1 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month))
        {
            return new DateOnly(year, month, day);
        }
        return DateOnly.ParseExact(text, SqliteDateFormat, CultureInfo.InvariantCulture);
    }

    private static bool TryDigits(ReadOnlySpan<char> text, int start, int count, out int value)
    {
        value = 0;
        for (var i = start; i < start + count; i++)
        {
            var digit = text[i] - '0';
            if ((uint)digit > 9)
                return false;
            value = value * 10 + digit;
        }
        return true;
    }

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
