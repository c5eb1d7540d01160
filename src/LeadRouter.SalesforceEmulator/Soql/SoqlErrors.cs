using System.Globalization;
using LeadRouter.SalesforceEmulator.Data;

namespace LeadRouter.SalesforceEmulator.Soql;

/// <summary>
/// SOQL errors in Salesforce's layout: a newline, the query line from up to 32 characters before the
/// fault, a caret under the fault, "ERROR at Row:r:Column:c" (1-based) and the reason.
/// </summary>
internal static class SoqlErrors
{
    private const int ContextBefore = 32;

    public static SalesforceFault Malformed(string soql, int position, string reason) =>
        At(soql, position, "MALFORMED_QUERY", reason);

    public static SalesforceFault UnknownObject(string soql, int position, string name) =>
        At(soql, position, "INVALID_TYPE",
            $"sObject type '{name}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.");

    public static SalesforceFault UnknownField(string soql, int position, string field, string objectName) =>
        At(soql, position, "INVALID_FIELD",
            $"No such column '{field}' on entity '{objectName}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.");

    public static SalesforceFault UnknownRelationship(string soql, int position, string relationship) =>
        At(soql, position, "INVALID_FIELD",
            $"Didn't understand relationship '{relationship}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.");

    public static SalesforceFault BadFilter(string soql, int position, string reason) =>
        At(soql, position, "INVALID_QUERY_FILTER_OPERATOR", reason);

    public static SalesforceFault At(string soql, int position, string errorCode, string reason)
    {
        var lineStart = position > 0 ? soql.LastIndexOf('\n', Math.Min(position, soql.Length) - 1) + 1 : 0;
        var lineEnd = soql.IndexOf('\n', Math.Min(position, soql.Length));
        if (lineEnd < 0)
            lineEnd = soql.Length;
        var row = 1 + soql.AsSpan(0, lineStart).Count('\n');
        var column = position - lineStart + 1;
        var snippetStart = Math.Max(lineStart, position - ContextBefore);
        var snippet = soql[snippetStart..lineEnd].TrimEnd('\r');
        var message = string.Create(CultureInfo.InvariantCulture,
            $"\n{snippet}\n{new string(' ', position - snippetStart)}^\nERROR at Row:{row}:Column:{column}\n{reason}");
        return new SalesforceFault(400, errorCode, message);
    }
}
