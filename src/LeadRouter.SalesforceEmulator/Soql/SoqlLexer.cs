using System.Globalization;
using System.Text;
using LeadRouter.SalesforceEmulator.Data;

namespace LeadRouter.SalesforceEmulator.Soql;

internal enum TokenKind
{
    Identifier,
    String,
    Number,
    Date,
    DateTime,
    Operator,
    Comma,
    Dot,
    Colon,
    OpenParen,
    CloseParen,
    End,
}

/// <summary>
/// One token. <see cref="Position"/> is the 0-based offset in the query (errors turn it into row
/// and column). <see cref="Value"/> holds the parsed literal: string (escapes resolved), decimal,
/// DateOnly or DateTimeOffset (UTC). A string's <see cref="LikePattern"/> keeps escaped % and _
/// (and backslashes) escaped with a backslash, so LIKE can tell them from wildcards.
/// </summary>
internal readonly record struct Token(TokenKind Kind, string Text, int Position, object? Value = null, string? LikePattern = null)
{
    public bool IsKeyword(string keyword) => Kind == TokenKind.Identifier && Text.Equals(keyword, StringComparison.OrdinalIgnoreCase);
}

/// <summary>Splits SOQL into tokens; keywords are identifiers the parser matches case-insensitively.</summary>
internal static class SoqlLexer
{
    public static List<Token> Tokenize(string soql)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (true)
        {
            while (i < soql.Length && char.IsWhiteSpace(soql[i]))
                i++;
            if (i == soql.Length)
            {
                tokens.Add(new Token(TokenKind.End, "<EOF>", i));
                return tokens;
            }
            var start = i;
            var c = soql[i];
            if (char.IsAsciiLetter(c) || c == '_')
            {
                while (i < soql.Length && (char.IsAsciiLetterOrDigit(soql[i]) || soql[i] == '_'))
                    i++;
                tokens.Add(new Token(TokenKind.Identifier, soql[start..i], start));
            }
            else if (char.IsAsciiDigit(c) || ((c == '-' || c == '+') && i + 1 < soql.Length && char.IsAsciiDigit(soql[i + 1])))
            {
                tokens.Add(NumberOrDate(soql, ref i));
            }
            else if (c == '\'')
            {
                tokens.Add(StringLiteral(soql, ref i));
            }
            else
            {
                i++;
                var kind = c switch
                {
                    ',' => TokenKind.Comma,
                    '.' => TokenKind.Dot,
                    ':' => TokenKind.Colon,
                    '(' => TokenKind.OpenParen,
                    ')' => TokenKind.CloseParen,
                    '=' => TokenKind.Operator,
                    '<' or '>' or '!' => TokenKind.Operator,
                    _ => throw SoqlErrors.Malformed(soql, start, $"unexpected token: '{c}'"),
                };
                if (kind == TokenKind.Operator && i < soql.Length && (soql[i] == '=' || (c == '<' && soql[i] == '>')))
                    i++;
                var text = soql[start..i];
                if (text == "!")
                    throw SoqlErrors.Malformed(soql, start, "unexpected token: '!'");
                tokens.Add(new Token(kind, text, start));
            }
        }
    }

    // A number, or a date (2024-01-31) or datetime (2024-01-31T10:00:00Z, +0000 / +01:00) literal.
    private static Token NumberOrDate(string soql, ref int i)
    {
        var start = i;
        if (IsDateAt(soql, i))
        {
            i += 10;
            if (i < soql.Length && soql[i] == 'T')
            {
                while (i < soql.Length && (char.IsAsciiDigit(soql[i]) || soql[i] is 'T' or ':' or '.' or 'Z' or '+' or '-'))
                    i++;
                var text = soql[start..i];
                return SalesforceJson.TryParseDateTime(text, out var dateTime)
                    ? new Token(TokenKind.DateTime, text, start, dateTime)
                    : throw SoqlErrors.Malformed(soql, start, $"invalid datetime: {text} (expected YYYY-MM-DDThh:mm:ss with Z, +hh:mm or +hhmm)");
            }
            var date = soql[start..i];
            return SalesforceJson.TryParseDate(date, out var day)
                ? new Token(TokenKind.Date, date, start, day)
                : throw SoqlErrors.Malformed(soql, start, $"invalid date: {date}");
        }
        i++;
        while (i < soql.Length && (char.IsAsciiDigit(soql[i]) || soql[i] == '.'))
            i++;
        var number = soql[start..i];
        return decimal.TryParse(number, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
            ? new Token(TokenKind.Number, number, start, value)
            : throw SoqlErrors.Malformed(soql, start, $"unexpected token: '{number}'");
    }

    private static bool IsDateAt(string s, int i) =>
        i + 10 <= s.Length && char.IsAsciiDigit(s[i]) && char.IsAsciiDigit(s[i + 1]) && char.IsAsciiDigit(s[i + 2])
        && char.IsAsciiDigit(s[i + 3]) && s[i + 4] == '-' && char.IsAsciiDigit(s[i + 5]) && char.IsAsciiDigit(s[i + 6])
        && s[i + 7] == '-' && char.IsAsciiDigit(s[i + 8]) && char.IsAsciiDigit(s[i + 9]);

    private static Token StringLiteral(string soql, ref int i)
    {
        var start = i++;
        var value = new StringBuilder();
        var pattern = new StringBuilder();
        while (true)
        {
            if (i >= soql.Length)
                throw SoqlErrors.Malformed(soql, start, $"unexpected token: '{soql[start..]}': the string literal is not closed");
            var c = soql[i++];
            if (c == '\'')
                break;
            if (c != '\\')
            {
                value.Append(c);
                pattern.Append(c);
                continue;
            }
            if (i >= soql.Length)
                throw SoqlErrors.Malformed(soql, start, "unexpected token: the string literal is not closed");
            var escaped = soql[i++];
            var resolved = escaped switch
            {
                'n' => '\n',
                'r' => '\r',
                't' => '\t',
                'b' => '\b',
                'f' => '\f',
                '\'' or '"' or '\\' or '%' or '_' => escaped,
                _ => throw SoqlErrors.Malformed(soql, i - 2,
                    $"Invalid string literal '{soql[start..Math.Min(soql.Length, i)]}'. Illegal character sequence '\\{escaped}' in string literal."),
            };
            value.Append(resolved);
            if (resolved is '%' or '_' or '\\')
                pattern.Append('\\');
            pattern.Append(resolved);
        }
        return new Token(TokenKind.String, soql[start..i], start, value.ToString(), pattern.ToString());
    }
}
