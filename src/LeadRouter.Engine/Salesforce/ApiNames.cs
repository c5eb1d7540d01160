using System.Text.RegularExpressions;

namespace LeadRouter.Salesforce;

/// <summary>
/// Checks Salesforce API names before they reach a query or a URL. An API name is letters, digits
/// and single underscores, starting with a letter, optionally with a managed-package namespace
/// (<c>ns__</c>) and a custom suffix: <c>__c</c> for custom fields and objects, <c>__r</c> for a
/// custom relationship inside a dotted path (<c>Region__r.Name</c>). Nothing else (spaces, quotes,
/// commas, parentheses, keywords glued to names) passes.
/// </summary>
public static partial class ApiNames
{
    /// <summary>Salesforce follows at most five parent relationships in one path.</summary>
    public const int MaxRelationshipDepth = 5;

    private const int MaxSegmentLength = 80;

    [GeneratedRegex(@"^(?:[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*__)?[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*(?:__[cr])?$", RegexOptions.CultureInvariant)]
    private static partial Regex Segment();

    /// <summary>An sObject name such as <c>Lead</c> or <c>Territory_Map__c</c>.</summary>
    public static string Object(string name)
    {
        if (!IsSegment(name, out var suffix) || suffix == "__r")
            throw new ArgumentException($"'{name}' is not a valid Salesforce object API name.", nameof(name));
        return name;
    }

    /// <summary>A field of the record itself (no relationship path): <c>OwnerId</c>, <c>Segment__c</c>.</summary>
    public static string Field(string name)
    {
        if (!IsSegment(name, out var suffix) || suffix == "__r")
            throw new ArgumentException($"'{name}' is not a valid Salesforce field API name.", nameof(name));
        return name;
    }

    /// <summary>A field or a dotted relationship path to one: <c>Owner.Name</c>, <c>Region__r.Manager__c</c>.</summary>
    public static string FieldPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var segments = path.Split('.');
        var valid = segments.Length <= MaxRelationshipDepth + 1;
        for (var i = 0; valid && i < segments.Length; i++)
        {
            // __r names a relationship, so it cannot be the field read at the end of the path.
            valid = IsSegment(segments[i], out var suffix) && (suffix != "__r" || i < segments.Length - 1);
        }
        return valid
            ? path
            : throw new ArgumentException($"'{path}' is not a valid Salesforce field API name or relationship path.", nameof(path));
    }

    private static bool IsSegment(string? name, out string suffix)
    {
        suffix = "";
        if (name is null || name.Length is 0 or > MaxSegmentLength)
            return false;
        if (!Segment().IsMatch(name))
            return false;
        // Read the suffix from the text: the pattern can also see "x__r" as namespace "x" plus name "r".
        suffix = name.EndsWith("__r", StringComparison.OrdinalIgnoreCase) ? "__r" : "";
        return true;
    }
}
