using LeadRouter.SalesforceEmulator.Data;

namespace LeadRouter.SalesforceEmulator.Soql;

/// <summary>A row of some table, as reached through a relationship path.</summary>
internal readonly record struct RowRef(ObjectTable Table, object?[] Row);

/// <summary>A field path resolved against the schema: its leaf field, kind and a getter from a root row.</summary>
internal sealed record BoundField(FieldPath Path, SObjectField Field, FieldKind Kind, Func<object?[], object?> Get)
{
    /// <summary>The relationships walked, e.g. [Owner] for Owner.Name; empty for a field of the queried object.</summary>
    public required IReadOnlyList<BoundRelationship> Relationships { get; init; }
}

/// <summary>A lookup followed in a path: the reference field, its targets and whether it is polymorphic (Owner: User or queue).</summary>
internal sealed record BoundRelationship(string Name, int ReferenceOrdinal, IReadOnlyList<ObjectTable> Targets)
{
    public bool IsPolymorphic => Targets.Count > 1;
}

/// <summary>
/// Resolves field paths (Id, Owner.Name, Manager.Manager.Name) against the store's schema, case-
/// insensitively, and builds getters. A polymorphic relationship ends the path: only its own fields
/// can follow, as with Salesforce's Name object. Getters read the store, so they run under its read lock.
/// </summary>
internal sealed class FieldBinder(OrgStore store, ObjectTable root, string soql)
{
    public ObjectTable Root { get; } = root;

    /// <summary>Binds a path to be filtered or sorted on: a compound address can be neither, as in Salesforce.</summary>
    public BoundField Bind(FieldPath path, string use)
    {
        var field = Bind(path);
        return field.Kind == FieldKind.Address
            ? throw SoqlErrors.At(soql, path.Position, "INVALID_FIELD", $"field '{field.Field.Name}' can not be {use} in a query call")
            : field;
    }

    public BoundField Bind(FieldPath path)
    {
        var relationships = new List<BoundRelationship>();
        IReadOnlyList<ObjectTable> tables = [Root];
        for (var k = 0; k < path.Parts.Count - 1; k++)
        {
            var part = path.Parts[k];
            if (tables.Count > 1)
                throw SoqlErrors.UnknownRelationship(soql, part.Position, part.Text);
            var table = tables[0];
            var ordinal = Enumerable.Range(0, table.FieldCount)
                .FirstOrDefault(i => string.Equals(table.Field(i).RelationshipName, part.Text, StringComparison.OrdinalIgnoreCase), -1);
            var targets = ordinal < 0 ? [] : table.Field(ordinal).ReferenceTo.Select(store.Table).OfType<ObjectTable>().ToArray();
            if (targets.Length == 0)
                throw SoqlErrors.UnknownRelationship(soql, part.Position, part.Text);
            relationships.Add(new BoundRelationship(table.Field(ordinal).RelationshipName!, ordinal, targets));
            tables = targets;
        }

        var leaf = path.Parts[^1];
        var owners = tables.Where(t => t.TryGetOrdinal(leaf.Text, out _)).ToArray();
        if (owners.Length == 0)
            throw SoqlErrors.UnknownField(soql, leaf.Position, leaf.Text, tables.Count > 1 ? StandardSchema.PolymorphicType : tables[0].Name);
        owners[0].TryGetOrdinal(leaf.Text, out var leafOrdinal);
        var field = owners[0].Field(leafOrdinal);
        var kind = owners[0].Kind(leafOrdinal);

        Func<object?[], object?> get;
        if (relationships.Count == 0)
        {
            get = row => row[leafOrdinal];
        }
        else
        {
            var follow = Follow(relationships);
            get = tables.Count == 1
                ? row => follow(row) is { } parent ? parent.Row[leafOrdinal] : null
                : row => follow(row) is { } parent && parent.Table.TryGetOrdinal(field.Name, out var o) ? parent.Row[o] : null;
        }
        return new BoundField(path, field, kind, get) { Relationships = relationships };
    }

    /// <summary>Walks relationships from a root row; null when a lookup is empty or points at a missing or deleted record.</summary>
    public Func<object?[], RowRef?> Follow(IReadOnlyList<BoundRelationship> relationships) => row =>
    {
        var current = new RowRef(Root, row);
        foreach (var relationship in relationships)
        {
            if (Resolve(current.Row, relationship) is not { } parent)
                return null;
            current = parent;
        }
        return current;
    };

    public RowRef? Resolve(object?[] row, BoundRelationship relationship)
    {
        if (row[relationship.ReferenceOrdinal] is not string id)
            return null;
        var target = store.TableOf(id);
        if (target is null || !relationship.Targets.Contains(target))
            return null;
        var parent = target.FindRow(id);
        return parent is null || parent[ObjectTable.IsDeletedOrdinal] is true ? null : new RowRef(target, parent);
    }
}
