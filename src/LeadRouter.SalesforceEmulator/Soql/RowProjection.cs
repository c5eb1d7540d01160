using System.Collections;
using LeadRouter.SalesforceEmulator.Data;

namespace LeadRouter.SalesforceEmulator.Soql;

/// <summary>
/// The SELECT list as a tree: fields of the queried object in SELECT order, and each relationship
/// (Owner, Manager...) once, at the place of its first field, holding its own fields. Projects a
/// stored row into the REST shape.
/// </summary>
internal sealed class RowProjection
{
    private readonly OrgStore _store;
    private readonly FieldBinder _binder;
    private readonly string _urlPrefix;
    private readonly Node _root = new(null, null);

    public RowProjection(OrgStore store, FieldBinder binder, string soql, IReadOnlyList<FieldPath> fields, string apiVersion)
    {
        _store = store;
        _binder = binder;
        _urlPrefix = $"/services/data/{apiVersion}/sobjects/";
        foreach (var path in fields)
        {
            var bound = binder.Bind(path);
            var node = _root;
            foreach (var relationship in bound.Relationships)
            {
                var child = node.Children.OfType<Node>().FirstOrDefault(n => n.Relationship!.Name == relationship.Name);
                if (child is null)
                    node.Children.Add(child = new Node(relationship.Name, relationship));
                node = child;
            }
            if (node.Children.OfType<string>().Any(f => f.Equals(bound.Field.Name, StringComparison.OrdinalIgnoreCase)))
                throw SoqlErrors.Malformed(soql, path.Position, $"duplicate field selected: {path}");
            node.Children.Add(bound.Field.Name);
        }
        HasRelationships = _root.Children.OfType<Node>().Any();
    }

    /// <summary>Whether projecting reads other records (and so needs the store's read lock).</summary>
    public bool HasRelationships { get; }

    public IReadOnlyDictionary<string, object?> Project(ObjectTable table, object?[] row)
    {
        if (!HasRelationships)
            return Project(_root, new RowRef(table, row), table.Name);
        using var _ = _store.ReadLock();
        return Project(_root, new RowRef(table, row), table.Name);
    }

    private OrderedDictionary<string, object?> Project(Node node, RowRef row, string attributesType)
    {
        var result = new OrderedDictionary<string, object?>(node.Children.Count + 1)
        {
            ["attributes"] = new OrderedDictionary<string, object?>(2)
            {
                ["type"] = attributesType,
                ["url"] = string.Concat(_urlPrefix, row.Table.Name, "/", (string)row.Row[ObjectTable.IdOrdinal]!),
            },
        };
        foreach (var child in node.Children)
        {
            if (child is string field)
            {
                result[field] = row.Table.TryGetOrdinal(field, out var ordinal) ? row.Table.Value(row.Row, ordinal) : null;
                continue;
            }
            var relationship = (Node)child;
            var parent = _binder.Resolve(row.Row, relationship.Relationship!);
            // A polymorphic lookup (Owner: User or queue) reports Salesforce's "Name" type; its url names the real type.
            result[relationship.Name!] = parent is { } p
                ? Project(relationship, p, relationship.Relationship!.IsPolymorphic ? StandardSchema.PolymorphicType : p.Table.Name)
                : null;
        }
        return result;
    }

    /// <summary>A level of the tree: children are field names (string) or relationship nodes, in SELECT order.</summary>
    private sealed class Node(string? name, BoundRelationship? relationship)
    {
        public string? Name { get; } = name;
        public BoundRelationship? Relationship { get; } = relationship;
        public List<object> Children { get; } = [];
    }
}

/// <summary>Query rows projected on demand: indexing row i builds its REST map then, so paging a million matches stays cheap.</summary>
internal sealed class ProjectedRows(ObjectTable table, ArraySegment<object?[]> rows, RowProjection projection)
    : IReadOnlyList<IReadOnlyDictionary<string, object?>>
{
    public int Count => rows.Count;

    public IReadOnlyDictionary<string, object?> this[int index] => projection.Project(table, rows[index]);

    public IEnumerator<IReadOnlyDictionary<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < rows.Count; i++)
            yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
