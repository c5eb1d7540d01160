using System.Buffers.Text;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace LeadRouter.SalesforceEmulator.Auth;

/// <summary>
/// Checks a JWT bearer assertion as Salesforce does: RS256 signature against the connected app's
/// certificate, iss = consumer key, sub = username, aud = a login URL, exp in the future.
/// </summary>
internal static class JwtAssertion
{
    /// <summary>Null when the assertion is valid; otherwise the OAuth error to answer with.</summary>
    public static OAuthError? Check(
        string assertion, RSA? publicKey, string clientId, string username, IReadOnlyCollection<string> audiences, DateTimeOffset now)
    {
        if (publicKey is null)
            return new("invalid_grant", "JWT bearer flow is not enabled: start the emulator with --jwt-cert");
        var parts = assertion.Split('.');
        if (parts.Length != 3)
            return InvalidAssertion("expected header.payload.signature");

        JsonElement header, claims;
        byte[] signature;
        try
        {
            header = JsonSerializer.Deserialize<JsonElement>(Base64Url.DecodeFromChars(parts[0]));
            claims = JsonSerializer.Deserialize<JsonElement>(Base64Url.DecodeFromChars(parts[1]));
            signature = Base64Url.DecodeFromChars(parts[2]);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return InvalidAssertion("not base64url-encoded JSON");
        }
        if (header.ValueKind != JsonValueKind.Object || claims.ValueKind != JsonValueKind.Object)
            return InvalidAssertion("header and payload must be JSON objects");
        if (Text(header, "alg") != "RS256")
            return InvalidAssertion("alg must be RS256");

        var signed = Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}");
        if (!publicKey.VerifyData(signed, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
            return InvalidAssertion("signature does not match the configured certificate");
        if (Text(claims, "iss") != clientId)
            return new("invalid_client_id", "client identifier invalid");
        if (!AudienceMatches(claims, audiences))
            return new("invalid_grant", "audience is invalid");
        if (!claims.TryGetProperty("exp", out var exp) || exp.ValueKind != JsonValueKind.Number || !exp.TryGetInt64(out var expSeconds))
            return InvalidAssertion("exp claim is missing");
        if (DateTimeOffset.FromUnixTimeSeconds(expSeconds) <= now)
            return new("invalid_grant", "expired authorization code");
        if (!string.Equals(Text(claims, "sub"), username, StringComparison.OrdinalIgnoreCase))
            return new("invalid_grant", "user hasn't approved this consumer");
        return null;
    }

    /// <summary>Reads the RSA public key from a PEM certificate, a DER certificate or a PEM public key.</summary>
    public static RSA LoadPublicKey(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var text = Encoding.ASCII.GetString(bytes);
        if (text.Contains("-----BEGIN PUBLIC KEY-----", StringComparison.Ordinal)
            || text.Contains("-----BEGIN RSA PUBLIC KEY-----", StringComparison.Ordinal))
        {
            var rsa = RSA.Create();
            rsa.ImportFromPem(text);
            return rsa;
        }
        try
        {
            using var certificate = text.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal)
                ? X509Certificate2.CreateFromPem(text)
                : X509CertificateLoader.LoadCertificate(bytes);
            return certificate.GetRSAPublicKey()
                ?? throw new ArgumentException($"JWT certificate '{path}' does not hold an RSA key.");
        }
        catch (CryptographicException e)
        {
            throw new ArgumentException($"JWT certificate '{path}' is neither a PEM/DER certificate nor a PEM public key: {e.Message}");
        }
    }

    private static OAuthError InvalidAssertion(string why) => new("invalid_grant", $"invalid assertion: {why}");

    private static bool AudienceMatches(JsonElement claims, IReadOnlyCollection<string> audiences)
    {
        if (!claims.TryGetProperty("aud", out var aud))
            return false;
        IEnumerable<JsonElement> values = aud.ValueKind == JsonValueKind.Array ? aud.EnumerateArray() : [aud];
        return values.Any(v => v.ValueKind == JsonValueKind.String && audiences.Contains(v.GetString()!.TrimEnd('/')));
    }
    private static string? Text(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

}

/// <summary>An OAuth token endpoint error: {"error", "error_description"} with HTTP 400.</summary>
internal sealed record OAuthError(string Error, string Description);
