using System.Globalization;

namespace LeadRouter.SalesforceEmulator.Soql;

internal sealed record SoqlQuery(
    IReadOnlyList<FieldPath> Fields,
    bool IsCount,
    Token From,
    Condition? Where,
    IReadOnlyList<OrderItem> OrderBy,
    int? Limit,
    int? Offset);

/// <summary>A field or a relationship path such as Owner.Name.</summary>
internal sealed record FieldPath(IReadOnlyList<Token> Parts)
{
    public int Position => Parts[0].Position;

    public override string ToString() => string.Join(".", Parts.Select(p => p.Text));
}

internal sealed record OrderItem(FieldPath Field, bool Descending, bool NullsFirst);

internal abstract record Condition;

internal sealed record AndCondition(IReadOnlyList<Condition> Terms) : Condition;

internal sealed record OrCondition(IReadOnlyList<Condition> Terms) : Condition;

internal sealed record NotCondition(Condition Term) : Condition;

/// <summary>field op value, where op is = != &lt;&gt; &lt; &lt;= &gt; &gt;= or LIKE.</summary>
internal sealed record Comparison(FieldPath Field, Token Operator, Literal Value) : Condition;

internal sealed record InCondition(FieldPath Field, bool Negated, IReadOnlyList<Literal> Values) : Condition;

internal enum LiteralKind
{
    Null,
    String,
    Number,
    Boolean,
    Date,
    DateTime,
    /// <summary>A named date range such as TODAY or LAST_N_DAYS:7 (Name and N).</summary>
    DateRange,
}

internal sealed record Literal(Token Token, LiteralKind Kind, object? Value, string? RangeName = null, int N = 0);

/// <summary>
/// Recursive-descent parser for the SOQL subset the emulator runs:
/// SELECT (fields | COUNT()) FROM object [WHERE condition] [ORDER BY items] [LIMIT n] [OFFSET n].
/// As in Salesforce, AND and OR cannot be mixed without parentheses, and NOT may only open a
/// condition (after WHERE or an opening parenthesis).
/// </summary>
internal sealed class SoqlParser
{
    // GROUP is not here: Group is also an sObject (queues and public groups), as in "FROM Group".
    private static readonly HashSet<string> ReservedAfterFrom = new(StringComparer.OrdinalIgnoreCase)
    {
        "WHERE", "ORDER", "LIMIT", "OFFSET", "HAVING", "WITH", "FOR", "UPDATE", "USING",
    };

    // Objects Salesforce refuses as the inner select of a semi-join or anti-join.
    private static readonly HashSet<string> NotInSemiJoins = new(StringComparer.OrdinalIgnoreCase)
    {
        "ActivityHistory", "Attachment", "Event", "EventAttendee", "Note", "OpenActivity", "Task",
    };

    private readonly string _soql;
    private readonly List<Token> _tokens;
    private int _next;

    private SoqlParser(string soql)
    {
        _soql = soql;
        _tokens = SoqlLexer.Tokenize(soql);
    }

    public static SoqlQuery Parse(string soql) => new SoqlParser(soql).Query();

    private Token Peek => _tokens[_next];

    private SoqlQuery Query()
    {
        ExpectKeyword("SELECT");
        var fields = new List<FieldPath>();
        var isCount = false;
        if (Peek.IsKeyword("COUNT") && _tokens[_next + 1].Kind == TokenKind.OpenParen)
        {
            _next++;
            Expect(TokenKind.OpenParen);
            if (Peek.Kind != TokenKind.CloseParen)
                throw SoqlErrors.Malformed(_soql, Peek.Position, "the emulator supports COUNT() only, not COUNT(field) or other aggregates");
            Expect(TokenKind.CloseParen);
            isCount = true;
        }
        else
        {
            do
            {
                if (Peek.Kind == TokenKind.OpenParen)
                    throw SoqlErrors.Malformed(_soql, Peek.Position, "the emulator does not support child relationship subqueries");
                fields.Add(Path());
            }
            while (Accept(TokenKind.Comma));
        }

        ExpectKeyword("FROM");
        var from = Expect(TokenKind.Identifier);
        if (ReservedAfterFrom.Contains(from.Text))
            throw Unexpected(from);

        Condition? where = null;
        if (AcceptKeyword("WHERE"))
            where = ConditionExpression();

        var orderBy = new List<OrderItem>();
        if (AcceptKeyword("ORDER"))
        {
            ExpectKeyword("BY");
            do
            {
                var path = Path();
                var descending = AcceptKeyword("DESC");
                if (!descending)
                    AcceptKeyword("ASC");
                // Salesforce's default: nulls first ascending, last descending.
                var nullsFirst = !descending;
                if (AcceptKeyword("NULLS"))
                {
                    if (AcceptKeyword("FIRST"))
                        nullsFirst = true;
                    else if (AcceptKeyword("LAST"))
                        nullsFirst = false;
                    else
                        throw Unexpected(Peek);
                }
                orderBy.Add(new OrderItem(path, descending, nullsFirst));
            }
            while (Accept(TokenKind.Comma));
        }

        int? limit = AcceptKeyword("LIMIT") ? Count() : null;
        int? offset = AcceptKeyword("OFFSET") ? Count() : null;
        if (Peek.Kind != TokenKind.End)
            throw Unexpected(Peek);
        return new SoqlQuery(fields, isCount, from, where, orderBy, limit, offset);
    }

    // condition := [NOT] term ( (AND term)* | (OR term)* )
    private Condition ConditionExpression()
    {
        var first = AcceptKeyword("NOT") ? new NotCondition(Term()) : Term();
        if (!Peek.IsKeyword("AND") && !Peek.IsKeyword("OR"))
            return first;
        var op = Peek.Text.ToUpperInvariant();
        var terms = new List<Condition> { first };
        while (AcceptKeyword(op))
            terms.Add(Term());
        if (Peek.IsKeyword("AND") || Peek.IsKeyword("OR"))
            throw Unexpected(Peek);
        return op == "AND" ? new AndCondition(terms) : new OrCondition(terms);
    }

    // term := '(' condition ')' | field operator value | field [NOT] IN (values) | field LIKE string
    private Condition Term()
    {
        if (Accept(TokenKind.OpenParen))
        {
            var inner = ConditionExpression();
            Expect(TokenKind.CloseParen);
            return inner;
        }
        if (Peek.IsKeyword("NOT"))
            throw Unexpected(Peek);
        var field = Path();
        var op = Peek;
        if (op.Kind == TokenKind.Operator)
        {
            _next++;
            return new Comparison(field, op, Value());
        }
        if (AcceptKeyword("LIKE"))
            return new Comparison(field, op, Value());
        var negated = AcceptKeyword("NOT");
        if (!AcceptKeyword("IN"))
            throw Unexpected(Peek);
        Expect(TokenKind.OpenParen);
        if (Peek.IsKeyword("SELECT"))
            throw SemiJoin();
        var values = new List<Literal>();
        do
        {
            values.Add(Value());
        }
        while (Accept(TokenKind.Comma));
        Expect(TokenKind.CloseParen);
        return new InCondition(field, negated, values);
    }

    /// <summary>
    /// "field IN (SELECT ...)": refused as Salesforce refuses it for Event, Task and the other activity objects
    /// (which is why the sync filters invitations through the Event relationship instead); the emulator runs no
    /// other semi-join either.
    /// </summary>
    private Exception SemiJoin()
    {
        var select = Peek;
        while (!Peek.IsKeyword("FROM") && Peek.Kind != TokenKind.End)
            _next++;
        ExpectKeyword("FROM");
        var inner = Expect(TokenKind.Identifier);
        return NotInSemiJoins.Contains(inner.Text)
            ? SoqlErrors.Malformed(_soql, inner.Position, $"Entity '{inner.Text}' is not supported for semi join inner selects")
            : SoqlErrors.Malformed(_soql, select.Position, "the emulator does not support semi-join or anti-join subqueries");
    }

    private Literal Value()
    {
        var token = Peek;
        _next++;
        switch (token.Kind)
        {
            case TokenKind.String: return new Literal(token, LiteralKind.String, token.Value);
            case TokenKind.Number: return new Literal(token, LiteralKind.Number, token.Value);
            case TokenKind.Date: return new Literal(token, LiteralKind.Date, token.Value);
            case TokenKind.DateTime: return new Literal(token, LiteralKind.DateTime, token.Value);
            case TokenKind.Identifier when token.IsKeyword("null"): return new Literal(token, LiteralKind.Null, null);
            case TokenKind.Identifier when token.IsKeyword("true"): return new Literal(token, LiteralKind.Boolean, true);
            case TokenKind.Identifier when token.IsKeyword("false"): return new Literal(token, LiteralKind.Boolean, false);
            case TokenKind.Identifier when DateRanges.IsKnown(token.Text, out var takesN):
                var name = token.Text.ToUpperInvariant();
                if (!takesN)
                    return new Literal(token, LiteralKind.DateRange, null, name);
                Expect(TokenKind.Colon);
                var n = Count();
                return new Literal(token, LiteralKind.DateRange, null, name, n);
            default:
                throw Unexpected(token);
        }
    }

    private FieldPath Path()
    {
        var parts = new List<Token> { Expect(TokenKind.Identifier) };
        while (Accept(TokenKind.Dot))
            parts.Add(Expect(TokenKind.Identifier));
        return new FieldPath(parts);
    }

    private int Count()
    {
        var token = Expect(TokenKind.Number);
        return token.Value is decimal n && n >= 0 && n <= int.MaxValue && decimal.Truncate(n) == n && !token.Text.StartsWith('+')
            ? (int)n
            : throw Unexpected(token);
    }

    private Token Expect(TokenKind kind)
    {
        var token = Peek;
        if (token.Kind != kind)
            throw Unexpected(token);
        _next++;
        return token;
    }

    private bool Accept(TokenKind kind)
    {
        if (Peek.Kind != kind)
            return false;
        _next++;
        return true;
    }

    private void ExpectKeyword(string keyword)
    {
        if (!AcceptKeyword(keyword))
            throw Unexpected(Peek);
    }

    private bool AcceptKeyword(string keyword)
    {
        if (!Peek.IsKeyword(keyword))
            return false;
        _next++;
        return true;
    }

    private Exception Unexpected(Token token) =>
        SoqlErrors.Malformed(_soql, token.Position,
            token.Kind == TokenKind.End ? "unexpected token: <EOF>" : string.Create(CultureInfo.InvariantCulture, $"unexpected token: '{token.Text}'"));
}
