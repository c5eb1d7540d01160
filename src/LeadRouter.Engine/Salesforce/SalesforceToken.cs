using System.Globalization;
using System.Text.Json;

namespace LeadRouter.Salesforce;

/// <summary>
/// A successful OAuth token response. Salesforce sends no expires_in: a token is used until a call
/// answers 401 INVALID_SESSION_ID. issued_at is epoch milliseconds written as a string.
/// <see cref="ToString"/> leaves the access and refresh tokens out.
/// </summary>
public sealed record SalesforceToken(
    string AccessToken,
    Uri InstanceUrl,
    string? IdentityUrl,
    DateTimeOffset? IssuedAt,
    string? TokenType,
    string? Scope,
    string? RefreshToken)
{
    public override string ToString() =>
        $"SalesforceToken {{ InstanceUrl = {InstanceUrl}, IdentityUrl = {IdentityUrl}, IssuedAt = {IssuedAt?.ToString("O", CultureInfo.InvariantCulture)}, " +
        $"TokenType = {TokenType}, Scope = {Scope}, AccessToken = (hidden), RefreshToken = {(RefreshToken is null ? "(none)" : "(hidden)")} }}";

    /// <summary>Reads a token endpoint success body; a body that lacks what a token needs is an auth failure naming the member.</summary>
    internal static SalesforceToken Parse(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            throw new SalesforceAuthException(null, "invalid_token_response", "the token response is not JSON");
        }
        using var owner = document;
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
            throw new SalesforceAuthException(null, "invalid_token_response", "the token response is not a JSON object");

        var accessToken = Text(root, "access_token");
        if (string.IsNullOrEmpty(accessToken))
            throw new SalesforceAuthException(null, "invalid_token_response", "the token response has no access_token");
        var instance = Text(root, "instance_url");
        if (!Uri.TryCreate(instance, UriKind.Absolute, out var instanceUrl))
            throw new SalesforceAuthException(null, "invalid_token_response", $"the token response's instance_url '{instance}' is not an absolute URL");
        // The access token goes to this URL on every call: plain http only to this machine (the emulator).
        if (instanceUrl.Scheme != Uri.UriSchemeHttps && !(instanceUrl.Scheme == Uri.UriSchemeHttp && instanceUrl.IsLoopback))
            throw new SalesforceAuthException(null, "invalid_token_response", $"the token response's instance_url '{instance}' does not use https");

        DateTimeOffset? issuedAt = null;
        var issued = Text(root, "issued_at");
        if (issued is not null)
        {
            if (!long.TryParse(issued, NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds))
                throw new SalesforceAuthException(null, "invalid_token_response", $"the token response's issued_at '{issued}' is not epoch milliseconds");
            issuedAt = DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
        }

        return new SalesforceToken(accessToken, instanceUrl, Text(root, "id"), issuedAt, Text(root, "token_type"), Text(root, "scope"), Text(root, "refresh_token"));
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
