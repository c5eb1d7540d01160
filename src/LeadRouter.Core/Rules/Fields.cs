using System.Globalization;
using LeadRouter.Org;

namespace LeadRouter.Rules;

public enum FieldKind
{
    Text,
    Number,
    Boolean,
    DateTime,
}

/// <summary>A readable field of a record type: its API name, its kind and how to read it.</summary>
public sealed class FieldAccessor<T>
{
    private FieldAccessor(string name, FieldKind kind) => (Name, Kind) = (name, kind);

    public string Name { get; }
    public FieldKind Kind { get; }

    internal Func<T, string?> Text { get; private init; } = _ => null;
    internal Func<T, decimal?> Number { get; private init; } = _ => null;
    internal Func<T, bool?> Boolean { get; private init; } = _ => null;
    internal Func<T, DateTimeOffset?> DateTime { get; private init; } = _ => null;

    public static FieldAccessor<T> ForText(string name, Func<T, string?> read) => new(name, FieldKind.Text) { Text = read };
    public static FieldAccessor<T> ForNumber(string name, Func<T, decimal?> read) => new(name, FieldKind.Number) { Number = read };
    public static FieldAccessor<T> ForBoolean(string name, Func<T, bool?> read) => new(name, FieldKind.Boolean) { Boolean = read };
    public static FieldAccessor<T> ForDateTime(string name, Func<T, DateTimeOffset?> read) => new(name, FieldKind.DateTime) { DateTime = read };

    /// <summary>The field's value as invariant text (used to key territory groups on a lead value).</summary>
    public string? ReadAsText(T record) => Kind switch
    {
        FieldKind.Text => Text(record),
        FieldKind.Number => Number(record)?.ToString(CultureInfo.InvariantCulture),
        FieldKind.Boolean => Boolean(record)?.ToString(CultureInfo.InvariantCulture),
        _ => DateTime(record)?.ToString("O", CultureInfo.InvariantCulture),
    };
}

/// <summary>The Lead fields conditions may name: the standard fields of <see cref="Lead"/> and declared custom fields.</summary>
public static class LeadFields
{
    public static IReadOnlyDictionary<string, FieldAccessor<Lead>> Standard { get; } = new[]
    {
        FieldAccessor<Lead>.ForText(nameof(Lead.Id), l => l.Id),
        FieldAccessor<Lead>.ForText(nameof(Lead.OwnerId), l => l.OwnerId),
        FieldAccessor<Lead>.ForText(nameof(Lead.Status), l => l.Status),
        FieldAccessor<Lead>.ForBoolean(nameof(Lead.IsConverted), l => l.IsConverted),
        FieldAccessor<Lead>.ForText(nameof(Lead.Rating), l => l.Rating),
        FieldAccessor<Lead>.ForText(nameof(Lead.LeadSource), l => l.LeadSource),
        FieldAccessor<Lead>.ForText(nameof(Lead.Industry), l => l.Industry),
        FieldAccessor<Lead>.ForNumber(nameof(Lead.AnnualRevenue), l => l.AnnualRevenue),
        FieldAccessor<Lead>.ForNumber(nameof(Lead.NumberOfEmployees), l => l.NumberOfEmployees),
        FieldAccessor<Lead>.ForText(nameof(Lead.Country), l => l.Country),
        FieldAccessor<Lead>.ForText(nameof(Lead.State), l => l.State),
        FieldAccessor<Lead>.ForText(nameof(Lead.Company), l => l.Company),
        FieldAccessor<Lead>.ForDateTime(nameof(Lead.CreatedDate), l => l.CreatedDate),
    }.ToDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>Finds a standard field, or a custom field when it is among <paramref name="declaredCustomFields"/>.</summary>
    public static FieldAccessor<Lead>? Find(string name, IReadOnlyList<string> declaredCustomFields)
    {
        if (Standard.TryGetValue(name, out var standard))
            return standard;
        var declared = declaredCustomFields.FirstOrDefault(f => string.Equals(f, name, StringComparison.OrdinalIgnoreCase));
        return declared is null
            ? null
            : FieldAccessor<Lead>.ForText(declared, l => l.CustomFields.TryGetValue(declared, out var v) ? v : null);
    }
}

/// <summary>The User fields territory conditions may name.</summary>
public static class UserFields
{
    public static IReadOnlyDictionary<string, FieldAccessor<User>> All { get; } = new[]
    {
        FieldAccessor<User>.ForText(nameof(User.Id), u => u.Id),
        FieldAccessor<User>.ForText(nameof(User.Name), u => u.Name),
        FieldAccessor<User>.ForText(nameof(User.Username), u => u.Username),
        FieldAccessor<User>.ForText(nameof(User.Email), u => u.Email),
        FieldAccessor<User>.ForBoolean(nameof(User.IsActive), u => u.IsActive),
        FieldAccessor<User>.ForText(nameof(User.ManagerId), u => u.ManagerId),
        FieldAccessor<User>.ForText(nameof(User.UserRoleId), u => u.UserRoleId),
        FieldAccessor<User>.ForText(nameof(User.Country), u => u.Country),
        FieldAccessor<User>.ForText(nameof(User.TimeZoneSidKey), u => u.TimeZoneSidKey),
    }.ToDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase);
}

/// <summary>Salesforce API names, checked before any name from configuration can reach a SOQL string.</summary>
public static class ApiName
{
    private const string CustomSuffix = "__c";

    /// <summary>
    /// Null when <paramref name="name"/> is a valid custom field API name, else what is wrong: letters,
    /// digits and underscores, starting with a letter, ending in __c, no other double underscore, no
    /// underscore right before the suffix, at most 40 characters before the suffix (Salesforce's limit).
    /// </summary>
    public static string? CustomFieldProblem(string name)
    {
        if (!name.EndsWith(CustomSuffix, StringComparison.Ordinal))
            return $"'{name}' is not a custom field API name: it must end in __c";
        var stem = name[..^CustomSuffix.Length];
        if (stem.Length == 0 || !char.IsAsciiLetter(stem[0]))
            return $"'{name}' is not a valid API name: it must start with a letter";
        if (stem.Length > 40)
            return $"'{name}' is not a valid API name: at most 40 characters before __c";
        if (!stem.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            return $"'{name}' is not a valid API name: only letters, digits and underscores";
        if (stem.Contains("__", StringComparison.Ordinal))
            return $"'{name}' is not a valid API name: no double underscore except the __c suffix";
        if (stem.EndsWith('_'))
            return $"'{name}' is not a valid API name: no underscore before the __c suffix";
        return null;
    }
}
