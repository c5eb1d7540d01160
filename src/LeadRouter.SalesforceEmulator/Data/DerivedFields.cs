namespace LeadRouter.SalesforceEmulator.Data;

/// <summary>Fields Salesforce computes on save rather than accepting from the caller.</summary>
internal static class DerivedFields
{
    public static void Apply(ObjectTable table, object?[] row)
    {
        switch (table.Name)
        {
            case "User" or "Lead" or "Contact":
                Set(table, row, "Name", FullName(Get(table, row, "FirstName"), Get(table, row, "LastName")));
                break;
            case "Task":
                // Salesforce derives IsClosed from the status picklist; "Completed" is the closed status out of the box.
                Set(table, row, "IsClosed", FieldValues.Box(Get(table, row, "Status") is "Completed"));
                break;
            case "Opportunity":
                var stage = Get(table, row, "StageName") as string;
                Set(table, row, "IsClosed", FieldValues.Box(stage?.StartsWith("Closed", StringComparison.OrdinalIgnoreCase) == true));
                // "Closed Won" is the won stage out of the box.
                Set(table, row, "IsWon", FieldValues.Box(stage?.StartsWith("Closed Won", StringComparison.OrdinalIgnoreCase) == true));
                break;
        }
    }

    private static string? FullName(object? first, object? last) =>
        string.Join(" ", new[] { first as string, last as string }.Where(s => !string.IsNullOrEmpty(s))) is { Length: > 0 } name ? name : null;

    private static object? Get(ObjectTable table, object?[] row, string field) =>
        table.TryGetOrdinal(field, out var ordinal) ? row[ordinal] : null;

    private static void Set(ObjectTable table, object?[] row, string field, object? value)
    {
        if (table.TryGetOrdinal(field, out var ordinal))
            row[ordinal] = value;
    }
}
