using System.Reflection;
using System.Text.RegularExpressions;
using LeadRouter.Storage;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace LeadRouter.Tests.Storage;

/// <summary>
/// No SQL Server runs here, so every T-SQL text LeadRouter can send — each migration script, each
/// shared statement and each statement the SQL Server dialect builds — goes through Microsoft's own
/// T-SQL parser (SQL Server 2022 grammar): a syntax error fails here, without a server.
/// </summary>
public class SqlServerScriptTests
{
    private static readonly Assembly Engine = typeof(LeadRouterDatabase).Assembly;

    public static IEnumerable<TestCaseData> MigrationScripts() =>
        Engine.GetManifestResourceNames()
            .Where(name => name.StartsWith(LeadRouterDatabase.MigrationPrefix(DatabaseProvider.SqlServer), StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(name => new TestCaseData(name).SetArgDisplayNames(name));

    /// <summary>Every statement text: the shared ones (constants named *Sql) and the dialect's, for every table.</summary>
    public static IEnumerable<TestCaseData> Statements()
    {
        var dialect = SqlServerDialect.Instance;
        var shared = Engine.GetTypes()
            .Where(t => t.Namespace == "LeadRouter.Storage")
            .SelectMany(t => t.GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)
                .Where(f => f.IsLiteral && f.FieldType == typeof(string) && f.Name.EndsWith("Sql", StringComparison.Ordinal))
                .Select(f => ($"{t.Name}.{f.Name}", (string)f.GetRawConstantValue()!)));
        var built = StoreShapes.All.Select(s => ($"Upsert {s.Name}", dialect.Upsert(s)))
            .Concat(SyncedTables.Shapes.Select(s => ($"CreateStaging {s.Name}", SqlServerDialect.CreateStaging(s))))
            .Concat(SyncedTables.Shapes.Select(s => ($"MergeStaging {s.Name}", SqlServerDialect.MergeStaging(s))))
            .Append(("InsertIfAbsent processed_messages", dialect.InsertIfAbsent(ProcessedMessages.Shape)))
            .Append(("ClaimOutbox", dialect.ClaimOutbox))
            .Append(("Outbox mark-sent", AsDapperExpandsLists(Outbox.MarkSentStatement(dialect))))
            .Append(("Outbox republish", AsDapperExpandsLists(Outbox.RepublishStatement(dialect))))
            .Concat(RecordStore.Statements().Select((sql, i) => ($"RecordStore statement {i}", sql)))
            .Concat(RoutingStore.Statements(dialect).Select((sql, i) => ($"RoutingStore look-up {i}", AsDapperExpandsLists(sql))))
            .Append(("ProcessedMessages look-up", AsDapperExpandsLists(ProcessedMessages.WhichProcessedStatement(dialect))));
        return shared.Concat(built).Select(s => new TestCaseData(s.Item2).SetArgDisplayNames(s.Item1));
    }

    [TestCaseSource(nameof(MigrationScripts))]
    public void MigrationScriptParses(string resourceName)
    {
        Assert.That(Parse(ReadResource(resourceName)), Is.Empty);
    }

    [TestCaseSource(nameof(Statements))]
    public void StatementParses(string sql)
    {
        Assert.That(Parse(sql), Is.Empty);
    }

    [Test]
    public void EveryKindOfStatementIsChecked()
    {
        Assert.That(MigrationScripts().Count(), Is.GreaterThanOrEqualTo(1));
        Assert.That(Statements().Count(), Is.GreaterThan(40));
        Assert.That(Statements().Select(s => (string)s.Arguments[0]!), Has.Some.Contains("UPDATE outbox"), "shared constants are found");
    }

    [Test]
    public void TheParserRejectsBrokenSql()
    {
        // The checks above can fail: a statement with a syntax error is reported.
        Assert.That(Parse("UPDATE outbox SET WHERE id = @Id"), Is.Not.Empty);
        Assert.That(Parse("INSERT INTO t (a) VALUES (@A) ON CONFLICT (a) DO NOTHING"), Is.Not.Empty, "PostgreSQL/SQLite syntax is not T-SQL");
    }

    [Test]
    public void TheSqlServerSchemaHasExactlyTheMappedColumns()
    {
        var script = string.Concat(MigrationScripts().Select(c => ReadResource((string)c.Arguments[0]!)));
        var tables = new TableCollector();
        new TSql160Parser(initialQuotedIdentifiers: true).Parse(new StringReader(script), out _).Accept(tables);

        foreach (var shape in StoreShapes.All)
        {
            Assert.That(tables.Columns.TryGetValue(shape.Name, out var columns), Is.True, $"table {shape.Name}");
            Assert.That(columns, Is.EquivalentTo(shape.Columns), shape.Name);
        }
    }

    /// <summary>"IN @Ids" as Dapper sends it for a list of two: "IN (@Ids1,@Ids2)".</summary>
    private static string AsDapperExpandsLists(string sql)
    {
        var expanded = Regex.Replace(sql, @"\bIN (@\w+)", "IN ($1" + "1,$1" + "2)");
        return expanded != sql ? expanded : throw new ArgumentException($"No list is bound in: {sql}", nameof(sql));
    }

    private static IList<ParseError> Parse(string sql)
    {
        new TSql160Parser(initialQuotedIdentifiers: true).Parse(new StringReader(sql), out var errors);
        return errors;
    }

    private static string ReadResource(string name)
    {
        using var stream = Engine.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private sealed class TableCollector : TSqlFragmentVisitor
    {
        public Dictionary<string, List<string>> Columns { get; } = new(StringComparer.OrdinalIgnoreCase);

        public override void Visit(CreateTableStatement node) =>
            Columns[node.SchemaObjectName.BaseIdentifier.Value] =
                node.Definition.ColumnDefinitions.Select(c => c.ColumnIdentifier.Value).ToList();

        public override void Visit(AlterTableAddTableElementStatement node) =>
            Columns[node.SchemaObjectName.BaseIdentifier.Value].AddRange(
                node.Definition.ColumnDefinitions.Select(c => c.ColumnIdentifier.Value));
    }
}
