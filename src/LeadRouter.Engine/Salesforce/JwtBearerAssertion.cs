using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace LeadRouter.Salesforce;

/// <summary>
/// The signed assertion of Salesforce's OAuth 2.0 JWT bearer flow: header {"alg":"RS256"}, claims
/// iss (connected app client id), sub (username), aud (login URL), exp (seconds since the epoch),
/// signed with RSASSA-PKCS1-v1_5 SHA-256.
/// </summary>
internal static class JwtBearerAssertion
{
    /// <summary>Salesforce accepts an assertion whose exp is at most three minutes ahead.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(3);

    private sealed record Header([property: JsonPropertyName("alg")] string Algorithm);

    private sealed record Claims(
        [property: JsonPropertyName("iss")] string Issuer,
        [property: JsonPropertyName("sub")] string Subject,
        [property: JsonPropertyName("aud")] string Audience,
        [property: JsonPropertyName("exp")] long ExpiresAt);

    public static string Create(string clientId, string username, Uri loginUrl, string privateKeyPem, DateTimeOffset now)
    {
        var header = Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(new Header("RS256")));
        var claims = new Claims(clientId, username, loginUrl.GetLeftPart(UriPartial.Authority), (now + Lifetime).ToUnixTimeSeconds());
        var payload = Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(claims));
        var signingInput = header + "." + payload;

        using var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(privateKeyPem);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            // The inner exception is dropped on purpose: nothing about the key travels in an error.
            throw new SalesforceOptionsException([$"{SalesforceOptions.SectionName}:{nameof(SalesforceOptions.PrivateKeyPem)} is not an RSA private key in PEM form."]);
        }
        var signature = rsa.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }
}
